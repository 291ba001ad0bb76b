// What `npm run bench` measures and how long: read once from the environment.
// Options: BENCH_DURATION (seconds per measured run, default 12), BENCH_ONLY (comma list of
// orders,notify,json,ssr), BENCH_PROFILE=1 (API and site under --cpu-prof, profiles kept in the
// printed directory), BENCH_DURABLE=1 (PostgreSQL with fsync on), BENCH_NO_WRITE=1 (print
// only), API_WORKERS (passed to the API), BENCH_API_NODE_OPTIONS (NODE_OPTIONS for the API
// process only), BENCH_WEB_NODE_OPTIONS (the same for the site), BENCH_API_NODE_ARGS (node
// flags for the API), BENCH_DIST (another dist/ to measure).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

export const DURATION = Number(process.env.BENCH_DURATION ?? 12);
export const WARMUP = 3;
export const ONLY = new Set(
  (process.env.BENCH_ONLY ?? 'orders,notify,json,ssr').split(',').map((s) => s.trim()),
);
// BENCH_SCALE=1: only the scale table (scenarios/scale.mjs), written to docs/benchmarks-scale.json.
export const SCALE = process.env.BENCH_SCALE === '1';
export const PROFILE = process.env.BENCH_PROFILE === '1';
// The test suites' settings (fsync off) unless BENCH_DURABLE=1: see "How it is measured".
export const DURABLE = process.env.BENCH_DURABLE === '1';
export const CONNECTIONS = { orders: 32, notify: 16, json: 32, ssr: 32 };
export const READERS = 8;
export const SSR_ARTICLE = 1;

const t0 = Date.now();
export const log = (line) =>
  console.log(`» [${((Date.now() - t0) / 1000).toFixed(0).padStart(3)} s] ${line}`);
export const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
