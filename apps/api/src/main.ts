// Alipay expects Beijing-time timestamps and alipay-sdk writes local time: pin the zone
// before anything formats a date.
process.env.TZ = 'Asia/Shanghai';

import 'reflect-metadata';
import { ConfigError, loadConfig } from '@renran/config';
import cluster from 'node:cluster';
import { runPrimary } from './cluster.js';
import { startApi } from './start-api.js';

async function main(): Promise<void> {
  const config = loadConfig(); // a bad value stops here, before any worker is forked
  if (cluster.isPrimary) for (const warning of config.warnings) console.warn(warning);
  if (cluster.isPrimary && config.apiWorkers > 1) {
    await runPrimary(config);
    return;
  }
  const api = await startApi();
  if (cluster.isPrimary) {
    console.log(
      `Renran Reward API listening on ${api.config.apiHost}:${api.config.apiPort} (OpenAPI docs at /docs)`,
    );
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    // A worker may get both the terminal's SIGINT and its primary's SIGTERM.
    if (stopping) return;
    stopping = true;
    if (cluster.isPrimary) console.log(`${signal} received, shutting down`);
    await api.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  // One clear line: the variable at fault, or what failed.
  console.error(
    error instanceof ConfigError
      ? error.message
      : `API failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
