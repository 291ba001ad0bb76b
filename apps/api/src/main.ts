import 'reflect-metadata';
import { ConfigError, DEV_KEYS_DIR, ensureDevKeys, loadConfig } from '@renran/config';
import {
  DEV_DATA_DIR,
  DEV_EMBEDDED_PORT,
  startEmbeddedPostgres,
  type EmbeddedDatabase,
} from '@renran/database';
import { DataSource } from 'typeorm';
import { createApiApp } from './create-app.js';
import { prepareDatabase } from './database/migrate.js';

// Alipay expects Beijing-time timestamps and alipay-sdk writes local time: pin the zone
// before anything formats a date.
process.env.TZ = 'Asia/Shanghai';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  if (config.appEnv === 'development') {
    ensureDevKeys(DEV_KEYS_DIR);
  }

  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: DEV_DATA_DIR,
      port: DEV_EMBEDDED_PORT,
    });
    databaseUrl = embedded.url;
  }

  const app = await createApiApp(config, databaseUrl);
  await prepareDatabase(app.get(DataSource), config);
  await app.listen(config.apiPort, '0.0.0.0');
  console.log(`Renran Reward API listening on http://127.0.0.1:${config.apiPort} (docs: /docs)`);

  // Graceful: stop accepting, let in-flight requests and jobs finish, close the pool, then
  // stop an embedded database cleanly so its data directory is not left locked.
  const shutdown = async (signal: string) => {
    console.log(`${signal} received, shutting down`);
    await app.close();
    await embedded?.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('API failed to start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
