/**
 * Lists count their rows up to this many. An exact count reads every index entry the filter
 * selects — 10^5 tips received by one author or 10^6 paid orders, tens to hundreds of ms at
 * scale (docs/BENCHMARKS.md) — while a page costs the same at any depth; nobody pages past
 * the 500th page by number, and the cursor needs no count at all.
 */
export const COUNT_CAP = 10_000;

/** `SELECT count(*) FROM (<select> LIMIT COUNT_CAP + 1)` answered as a list's total. */
export function boundedTotal(counted: number): { total: number; total_exact: boolean } {
  return counted > COUNT_CAP
    ? { total: COUNT_CAP, total_exact: false }
    : { total: counted, total_exact: true };
}
