// A worker thread of `npm run bench`, two jobs:
// - `rate`: how many RSA2 (SHA256withRSA, the key's size) signatures of `content` this thread
//   makes in `durationMs`, with node:crypto only: the machine's raw signing rate;
// - `notices`: signs Alipay notifications as Alipay does (every field but sign and sign_type,
//   sorted, `k=v` joined by `&`), like test/support/alipay-signer.ts, and answers form bodies.
import { createPrivateKey, createSign, sign } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';

const { job } = workerData;
const key = createPrivateKey(workerData.privateKeyPem);

if (job === 'rate') {
  const content = Buffer.from(workerData.content, 'utf8');
  // Warm up, then count.
  for (let i = 0; i < 50; i++) sign('RSA-SHA256', content, key);
  let count = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(workerData.durationMs) * 1_000_000n;
  let now = start;
  while (now < end) {
    sign('RSA-SHA256', content, key);
    count++;
    now = process.hrtime.bigint();
  }
  parentPort.postMessage({ count, seconds: Number(now - start) / 1e9 });
} else if (job === 'notices') {
  const bodies = workerData.notices.map((params) => {
    const content = Object.keys(params)
      .filter((name) => name !== 'sign' && name !== 'sign_type' && params[name] !== '')
      .sort()
      .map((name) => `${name}=${params[name]}`)
      .join('&');
    const signature = createSign('RSA-SHA256').update(content, 'utf8').sign(key, 'base64');
    return new URLSearchParams({ ...params, sign_type: 'RSA2', sign: signature }).toString();
  });
  parentPort.postMessage({ bodies });
} else {
  throw new Error(`unknown job ${job}`);
}
