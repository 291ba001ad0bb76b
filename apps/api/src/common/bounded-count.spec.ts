import { boundedTotal, COUNT_CAP } from './bounded-count.js';

describe('boundedTotal', () => {
  it('is exact up to the cap and a lower bound beyond it', () => {
    expect(boundedTotal(0)).toEqual({ total: 0, total_exact: true });
    expect(boundedTotal(COUNT_CAP)).toEqual({ total: COUNT_CAP, total_exact: true });
    expect(boundedTotal(COUNT_CAP + 1)).toEqual({ total: COUNT_CAP, total_exact: false });
  });
});
