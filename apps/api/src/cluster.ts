import { alipayKeyFiles, ensureDefaultDevKeys, type AppConfig } from '@renran/config';
import {
  DEV_DATA_DIR,
  DEV_EMBEDDED_PORT,
  startEmbeddedPostgres,
  type EmbeddedDatabase,
} from '@renran/database';
import cluster, { type Worker } from 'node:cluster';

/** More worker crashes than this within a minute is a crash loop: stop instead of forking. */
const MAX_RESTARTS_PER_MINUTE = 5;
const STOP_TIMEOUT_MS = 15_000;

/**
 * API_WORKERS > 1: this process forks that many API processes that share API_PORT
 * (node:cluster) and supervises them, so the API uses more than one core. The API keeps no
 * state of its own between requests that matters across processes: rate limits live in
 * PostgreSQL, the reconciliation sweep claims rows with FOR UPDATE SKIP LOCKED, migrations and
 * seeding run under an advisory lock, and each process writes its own read counts (they add
 * up). This process does what must happen once: development keys, and the embedded database
 * when DATABASE_URL is unset. A worker that dies after start-up is replaced; one that fails to
 * start stops everything (it has printed why). SIGINT / SIGTERM stop the workers gracefully,
 * then the database.
 */
export async function runPrimary(config: AppConfig): Promise<void> {
  if (config.appEnv === 'development') {
    ensureDefaultDevKeys(alipayKeyFiles(config.alipay).map((file) => file.path)); // once, before the workers race
  }
  let embedded: EmbeddedDatabase | undefined;
  const workerEnv: Record<string, string> = {};
  if (!config.databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: DEV_DATA_DIR, port: DEV_EMBEDDED_PORT });
    // Not DATABASE_URL: the workers must still know it is the embedded one (development defaults).
    workerEnv.EMBEDDED_DATABASE_URL = embedded.url;
  }

  let stopping = false;
  let listening = 0;
  let started = false;
  const restarts: number[] = [];

  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter(
      (worker): worker is Worker => worker !== undefined && !worker.isDead(),
    );
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            worker.once('exit', () => resolve());
            worker.process.kill('SIGTERM');
            setTimeout(() => worker.process.kill('SIGKILL'), STOP_TIMEOUT_MS).unref();
          }),
      ),
    );
    await embedded?.stop();
    process.exit(code);
  };

  cluster.on('listening', () => {
    if (started || ++listening < config.apiWorkers) return;
    started = true;
    console.log(
      `Renran Reward API listening on http://127.0.0.1:${config.apiPort} with ${config.apiWorkers} workers (OpenAPI docs at /docs)`,
    );
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    if (!started) {
      console.error(`API worker ${worker.process.pid} failed to start; stopping`);
      void stop(1);
      return;
    }
    const now = Date.now();
    restarts.push(now);
    while (restarts.length > 0 && restarts[0] < now - 60_000) restarts.shift();
    if (restarts.length > MAX_RESTARTS_PER_MINUTE) {
      console.error(`API workers keep dying (${restarts.length} in a minute); stopping`);
      void stop(1);
      return;
    }
    console.error(`API worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    cluster.fork(workerEnv);
  });
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  for (let i = 0; i < config.apiWorkers; i++) cluster.fork(workerEnv);
}
