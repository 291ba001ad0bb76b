import { BadRequestException } from '@nestjs/common';

/**
 * The opaque `cursor` / `next_cursor` of keyset-paged lists: where the page after it starts,
 * as non-negative integers (e.g. the id of the last row shown), base64url-encoded so that a
 * client treats it as a token and not as a page number it could do arithmetic on.
 */
export function encodeCursor(values: readonly number[]): string {
  return Buffer.from(values.join('.')).toString('base64url');
}

/** The `arity` integers inside a cursor; an unreadable or foreign one is a 400. */
export function decodeCursor(cursor: string, arity: number): number[] {
  const parts = Buffer.from(cursor, 'base64url').toString().split('.');
  const values = parts.map((part) => (/^\d{1,15}$/.test(part) ? Number(part) : NaN));
  if (values.length !== arity || values.some(Number.isNaN)) {
    throw new BadRequestException('cursor 无效');
  }
  return values;
}
