// Order creation: `POST /payments/alipay/` at 32 connections, in turns with the raw order
// server (raw-order.mjs: the same JWT, statements and signature with no framework) on the same
// database. The machine's RSA2 signing rate on all cores is reported beside it.
import os from 'node:os';
import { join } from 'node:path';
import { CONNECTIONS, DURATION, log, root, WARMUP } from '../options.mjs';
import { cpuRoots, load, runWorkers, sideBySide } from '../measure.mjs';
import { start, waitFor } from '../process-control.mjs';

export async function orders(ctx) {
  const {
    apiUrl,
    readers,
    json,
    orderBody,
    rss,
    appPrivateKeyPem,
    rawPort,
    databaseUrl,
    keys,
    config,
  } = ctx;
  const rawUrl = `http://127.0.0.1:${rawPort}`;
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

  // The raw server signs for the same gateway, app and URLs as the API's answer shows.
  const payUrl = new URL(probe.pay_url);
  const rawServer = start(
    'raw-order',
    [join(root, 'scripts/bench/raw-order.mjs'), String(rawPort)],
    {
      RAW_DATABASE_URL: databaseUrl,
      RAW_JWT_SECRET: config.DEV_JWT_SECRET,
      RAW_APP_PRIVATE_KEY_PATH: keys.appPrivateKey,
      RAW_RATE_LIMIT_ORDERS: '1000000',
      RAW_ALIPAY_APP_ID: params.app_id,
      RAW_ALIPAY_SDK: params.alipay_sdk ?? '',
      RAW_GATEWAY: `${payUrl.origin}${payUrl.pathname}`,
      RAW_NOTIFY_URL: params.notify_url,
      RAW_RETURN_URL: params.return_url,
    },
  );
  cpuRoots.set('raw', rawServer.pid);
  await waitFor(`${rawUrl}/health`, 'the raw order server');
  const rawProbe = await json(`${rawUrl}/payments/alipay/`, {
    method: 'POST',
    headers: { authorization: `Bearer ${readers[0].token}` },
    body: orderBody(0),
  });
  const rawParams = new URL(rawProbe.pay_url).searchParams;
  const differing = Object.keys(params).filter(
    (name) =>
      !['sign', 'timestamp', 'biz_content'].includes(name) && rawParams.get(name) !== params[name],
  );
  // biz_content too, but for what differs per order (its number and its expiry).
  const apiBiz = JSON.parse(params.biz_content);
  const rawBiz = JSON.parse(rawParams.get('biz_content'));
  for (const name of new Set([...Object.keys(apiBiz), ...Object.keys(rawBiz)])) {
    if (!['out_trade_no', 'time_expire'].includes(name) && apiBiz[name] !== rawBiz[name]) {
      differing.push(`biz_content.${name}`);
    }
  }
  if (differing.length) console.warn(`⚠ the raw order server signs other parameters: ${differing}`);

  const orderJob = (base) => (duration) => ({
    url: `${base}/payments/alipay/`,
    method: 'POST',
    connections: CONNECTIONS.orders,
    duration,
    headers: { 'content-type': 'application/json' },
    headerSets: readers.map((reader) => ({ authorization: `Bearer ${reader.token}` })),
    bodies: Array.from({ length: 50 }, (_, i) => orderBody(i)),
    expectStatus: 201,
  });
  log(`order creation: warm-up (API, raw); ${rss()}`);
  await load(orderJob(apiUrl)(WARMUP));
  await load(orderJob(rawUrl)(WARMUP));
  log(`order creation: ${DURATION} s each at ${CONNECTIONS.orders} connections, in turns with raw`);
  const { measured: orders, baseline: rawOrders } = await sideBySide(
    orderJob(apiUrl),
    orderJob(rawUrl),
  );
  return { orders, rawOrders, signRate, signBytes: Buffer.byteLength(content), cores };
}
