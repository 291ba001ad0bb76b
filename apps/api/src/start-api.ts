import type { INestApplication } from '@nestjs/common';
import { alipayKeyFiles, ensureDefaultDevKeys, loadConfig, type AppConfig } from '@renran/config';
import {
  DEV_DATA_DIR,
  DEV_EMBEDDED_PORT,
  startEmbeddedPostgres,
  type EmbeddedDatabase,
} from '@renran/database';
import { DataSource } from 'typeorm';
import { createApiApp } from './create-app.js';
import { prepareDatabase, type PrepareResult } from './database/migrate.js';

export interface RunningApi {
  app: INestApplication;
  config: AppConfig;
  prepared: PrepareResult;
  /** Stops accepting, lets in-flight work finish, closes the pool and any embedded database. */
  stop(): Promise<void>;
}

/**
 * Everything `main.ts` does before it waits for signals: validate the environment (a bad
 * value throws a ConfigError naming it), find or start the database, migrate and seed under
 * the advisory lock, listen on API_HOST:API_PORT.
 */
export async function startApi(
  env: Record<string, string | undefined> = process.env,
): Promise<RunningApi> {
  const config = loadConfig(env);
  if (config.appEnv === 'development') {
    ensureDefaultDevKeys(alipayKeyFiles(config.alipay).map((file) => file.path));
  }

  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: DEV_DATA_DIR, port: DEV_EMBEDDED_PORT });
    databaseUrl = embedded.url;
  }

  try {
    const app = await createApiApp(config, databaseUrl);
    const prepared = await prepareDatabase(app.get(DataSource), config);
    await app.listen(config.apiPort, config.apiHost);
    return {
      app,
      config,
      prepared,
      stop: async () => {
        await app.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}
