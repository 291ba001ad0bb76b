// Article JSON: `GET /article/detail/1/` in turns with a bare Nest route answering the same
// JSON (bare-nest.mjs) and a bare node:http server answering the same bytes (bare-http.mjs).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONNECTIONS, DURATION, log, root, SSR_ARTICLE, WARMUP } from '../options.mjs';
import { cpuRoots, inTurns, load } from '../measure.mjs';
import { start, tmp, waitFor } from '../process-control.mjs';

export async function articleJson(ctx) {
  const { apiUrl, barePort, bareUrl, httpPort, fastifyPort, json, rss } = ctx;
  const detailUrl = `${apiUrl}/article/detail/${SSR_ARTICLE}/`;
  const sample = await json(detailUrl);
  const answerBytesFile = join(tmp, 'bare-answer.bytes');
  writeFileSync(answerBytesFile, Buffer.from(await fetch(detailUrl).then((r) => r.arrayBuffer())));
  const bareHttp = start(
    'bare-http',
    [join(root, 'scripts/bench/bare-http.mjs'), String(httpPort), answerBytesFile],
    {},
  );
  cpuRoots.set('http', bareHttp.pid);
  const httpUrl = `http://127.0.0.1:${httpPort}/article/detail/${SSR_ARTICLE}/`;
  await waitFor(httpUrl, 'the bare node:http server');
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
  // The same bare route on Nest's Fastify adapter, the API's own adapter: the floor of a Nest
  // route on it, against which the API's own per-request work shows. (The check stays for a
  // checkout that predates the switch.)
  let fastifyUrl;
  if (existsSync(join(root, 'node_modules/@nestjs/platform-fastify'))) {
    const bareFastify = start(
      'bare-nest-fastify',
      [join(root, 'scripts/bench/bare-nest.mjs'), String(fastifyPort), answerFile, 'fastify'],
      {},
    );
    cpuRoots.set('fastify', bareFastify.pid);
    fastifyUrl = `http://127.0.0.1:${fastifyPort}/article/detail/${SSR_ARTICLE}/`;
    await waitFor(fastifyUrl, 'the bare Nest app on Fastify');
  }
  const jsonJob = (url, duration) => ({
    url,
    connections: CONNECTIONS.json,
    duration,
    expectStatus: 200,
  });
  log(`article JSON: warm-up; ${rss()}`);
  await load(jsonJob(detailUrl, WARMUP));
  await load(jsonJob(`${bareUrl}/article/detail/${SSR_ARTICLE}/`, WARMUP));
  await load(jsonJob(httpUrl, WARMUP));
  if (fastifyUrl) await load(jsonJob(fastifyUrl, WARMUP));
  log(`article JSON: ${DURATION} s each at ${CONNECTIONS.json} connections`);
  const [detail, bare, http, fastify] = await inTurns([
    (duration) => jsonJob(detailUrl, duration),
    (duration) => jsonJob(`${bareUrl}/article/detail/${SSR_ARTICLE}/`, duration),
    (duration) => jsonJob(httpUrl, duration),
    ...(fastifyUrl ? [(duration) => jsonJob(fastifyUrl, duration)] : []),
  ]);
  return {
    detail,
    bare,
    http,
    fastify,
    bytes: Buffer.byteLength(JSON.stringify(sample)),
    bareBytes: Buffer.byteLength(bareSample),
  };
}
