import type { DataSource } from 'typeorm';
import { ReadCountsService } from './read-counts.service.js';

/** A stand-in for the articles table: stored counts, and the UPDATEs the service sends. */
function fakeDatabase(stored: Record<number, number>) {
  const writes: Array<[number[], number[]]> = [];
  let failing = false;
  const dataSource = {
    query: (_sql: string, [ids, reads]: [number[], number[]]) => {
      if (failing) return Promise.reject(new Error('connection refused'));
      writes.push([ids, reads]);
      ids.forEach((id, i) => (stored[id] = (stored[id] ?? 0) + reads[i]));
      return Promise.resolve([]);
    },
  } as unknown as DataSource;
  return {
    dataSource,
    writes,
    fail: (value: boolean) => (failing = value),
    load: (id: number) => () =>
      Promise.resolve(id in stored ? { id, read_count: stored[id] } : undefined),
  };
}

describe('ReadCountsService', () => {
  it('answers the stored count plus the reads not yet written, this one included', async () => {
    const db = fakeDatabase({ 1: 10, 2: 0 });
    const counts = new ReadCountsService(db.dataSource);
    expect((await counts.countRead(1, db.load(1)))?.read_count).toBe(11);
    expect((await counts.countRead(1, db.load(1)))?.read_count).toBe(12);
    expect((await counts.countRead(2, db.load(2)))?.read_count).toBe(1);
    expect(db.writes).toEqual([]);
  });

  it('writes every article read in one statement, after which reads count from there', async () => {
    const db = fakeDatabase({ 1: 10, 2: 0 });
    const counts = new ReadCountsService(db.dataSource);
    await Promise.all(Array.from({ length: 25 }, () => counts.countRead(1, db.load(1))));
    await counts.countRead(2, db.load(2));
    await counts.flush();
    expect(db.writes).toEqual([
      [
        [1, 2],
        [25, 1],
      ],
    ]);
    expect((await counts.countRead(1, db.load(1)))?.read_count).toBe(36);
    await counts.flush();
    expect(db.writes[1]).toEqual([[1], [1]]);
  });

  it('never counts a missing or unpublished article', async () => {
    const db = fakeDatabase({});
    const counts = new ReadCountsService(db.dataSource);
    expect(await counts.countRead(7, db.load(7))).toBeUndefined();
    await counts.flush();
    expect(db.writes).toEqual([]);
  });

  it('keeps the counts when a write fails and writes them with the next one', async () => {
    const db = fakeDatabase({ 1: 0 });
    const counts = new ReadCountsService(db.dataSource);
    await counts.countRead(1, db.load(1));
    db.fail(true);
    await counts.flush();
    expect((await counts.countRead(1, db.load(1)))?.read_count).toBe(2);
    db.fail(false);
    await counts.flush();
    expect(db.writes).toEqual([[[1], [2]]]);
  });

  it('reads arriving during a write wait for it, so none counts a read twice', async () => {
    const db = fakeDatabase({ 1: 0 });
    const counts = new ReadCountsService(db.dataSource);
    await counts.countRead(1, db.load(1));
    const flushing = counts.flush();
    const during = counts.countRead(1, db.load(1));
    await flushing;
    expect((await during)?.read_count).toBe(2);
  });

  it('writes what is left at shutdown', async () => {
    const db = fakeDatabase({ 3: 5 });
    const counts = new ReadCountsService(db.dataSource);
    counts.onApplicationBootstrap();
    await counts.countRead(3, db.load(3));
    await counts.beforeApplicationShutdown();
    expect(db.writes).toEqual([[[3], [1]]]);
  });
});
