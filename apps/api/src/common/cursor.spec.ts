import { BadRequestException } from '@nestjs/common';
import { decodeCursor, encodeCursor } from './cursor.js';

describe('keyset cursors', () => {
  it('carry their integers through an opaque token', () => {
    const cursor = encodeCursor([1764806400123, 0, 42]);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, 3)).toEqual([1764806400123, 0, 42]);
  });

  it.each([
    ['not base64 of numbers', 'hello', 1],
    ['the wrong number of parts', encodeCursor([1, 2]), 1],
    ['a negative part', Buffer.from('-1').toString('base64url'), 1],
    ['an empty part', Buffer.from('1.').toString('base64url'), 2],
    ['a part too long to be exact', Buffer.from('1'.repeat(16)).toString('base64url'), 1],
  ])('refuse %s with a 400', (_what, cursor, arity) => {
    expect(() => decodeCursor(cursor, arity)).toThrow(BadRequestException);
  });
});
