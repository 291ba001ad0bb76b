// Article JSON: `GET /article/detail/1/` against a bare Nest route answering the same bytes,
// in turns (measured, baseline, measured, baseline).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONNECTIONS, DURATION, log, root, SSR_ARTICLE, WARMUP } from '../options.mjs';
import { cpuRoots, load, sideBySide } from '../measure.mjs';
import { start, tmp, waitFor } from '../process-control.mjs';

export async function articleJson(ctx) {
  const { apiUrl, barePort, bareUrl, json, rss } = ctx;
  const detailUrl = `${apiUrl}/article/detail/${SSR_ARTICLE}/`;
  const sample = await json(detailUrl);
  const answerFile = join(tmp, 'bare-answer.json');
  writeFileSync(answerFile, JSON.stringify(sample));
  const bareNest = start(
    'bare-nest',
    [join(root, 'scripts/bench/bare-nest.mjs'), String(barePort), answerFile],
    {},
  );
  cpuRoots.set('bare', bareNest.pid);
  await waitFor(`${bareUrl}/article/detail/${SSR_ARTICLE}/`, 'the bare Nest app');
  const bareSample = await fetch(`${bareUrl}/article/detail/${SSR_ARTICLE}/`).then((r) => r.text());
  const jsonJob = (url, duration) => ({
    url,
    connections: CONNECTIONS.json,
    duration,
    expectStatus: 200,
  });
  log(`article JSON: warm-up; ${rss()}`);
  await load(jsonJob(detailUrl, WARMUP));
  await load(jsonJob(`${bareUrl}/article/detail/${SSR_ARTICLE}/`, WARMUP));
  log(`article JSON: ${DURATION} s each at ${CONNECTIONS.json} connections`);
  const { measured: detail, baseline: bare } = await sideBySide(
    (duration) => jsonJob(detailUrl, duration),
    (duration) => jsonJob(`${bareUrl}/article/detail/${SSR_ARTICLE}/`, duration),
  );
  return {
    detail,
    bare,
    bytes: Buffer.byteLength(JSON.stringify(sample)),
    bareBytes: Buffer.byteLength(bareSample),
  };
}
