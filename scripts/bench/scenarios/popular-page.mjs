// The same article page once the payment phases left thousands of paid tips on it: its
// supporters are aggregated from every paid tip on each view.
import { DURATION, log, SSR_ARTICLE, WARMUP } from '../options.mjs';
import { load, metered } from '../measure.mjs';

export async function popularPage(ctx) {
  const { db, ssr } = ctx;
  const { rows } = await db.query(
    'SELECT count(*)::int AS tips FROM rewards WHERE article_id = $1 AND status = 1',
    [SSR_ARTICLE],
  );
  log(`article page SSR with ${rows[0].tips} paid tips: ${DURATION} s`);
  await load(ssr.pageJob(ssr.pageUrl, WARMUP));
  const popular = await metered(() => load(ssr.pageJob(ssr.pageUrl, DURATION)));
  return { page: popular, tips: rows[0].tips };
}
