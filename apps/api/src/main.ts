// Alipay expects Beijing-time timestamps and alipay-sdk writes local time: pin the zone
// before anything formats a date.
process.env.TZ = 'Asia/Shanghai';

import 'reflect-metadata';
import { ConfigError } from '@renran/config';
import { startApi } from './start-api.js';

async function main(): Promise<void> {
  const api = await startApi();
  console.log(
    `Renran Reward API listening on http://127.0.0.1:${api.config.apiPort} (OpenAPI docs at /docs)`,
  );
  const shutdown = async (signal: string) => {
    console.log(`${signal} received, shutting down`);
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
