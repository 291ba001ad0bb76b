// Order creation: `POST /payments/alipay/` at 32 connections, against this machine's RSA2
// signing rate on all cores.
import os from 'node:os';
import { CONNECTIONS, DURATION, log, WARMUP } from '../options.mjs';
import { load, metered, runWorkers } from '../measure.mjs';

export async function orders(ctx) {
  const { apiUrl, readers, json, orderBody, rss, appPrivateKeyPem } = ctx;
  const probe = await json(`${apiUrl}/payments/alipay/`, {
    method: 'POST',
    headers: { authorization: `Bearer ${readers[0].token}` },
    body: orderBody(0),
  });
  const params = Object.fromEntries(new URL(probe.pay_url).searchParams);
  const content = Object.keys(params)
    .filter((name) => name !== 'sign')
    .sort()
    .map((name) => `${name}=${params[name]}`)
    .join('&');
  const cores = os.availableParallelism();
  log(`signing rate: ${cores} worker threads, RSA2-2048 over ${Buffer.byteLength(content)} bytes`);
  const rates = await runWorkers(cores, {
    job: 'rate',
    privateKeyPem: appPrivateKeyPem,
    content,
    durationMs: 4000,
  });
  const signRate = rates.reduce((sum, { count, seconds }) => sum + count / seconds, 0);

  const orderJob = (duration) => ({
    url: `${apiUrl}/payments/alipay/`,
    method: 'POST',
    connections: CONNECTIONS.orders,
    duration,
    headers: { 'content-type': 'application/json' },
    headerSets: readers.map((reader) => ({ authorization: `Bearer ${reader.token}` })),
    bodies: Array.from({ length: 50 }, (_, i) => orderBody(i)),
    expectStatus: 201,
  });
  log(`order creation: warm-up; ${rss()}`);
  await load(orderJob(WARMUP));
  log(`order creation: ${DURATION} s at ${CONNECTIONS.orders} connections`);
  const orders = await metered(() => load(orderJob(DURATION)));
  return { orders, signRate, signBytes: Buffer.byteLength(content), cores };
}
