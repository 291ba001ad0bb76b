import type { INestApplication } from '@nestjs/common';
import { loadConfig, type AppConfig } from '@renran/config';
import type { FastifyInstance } from 'fastify';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { App } from 'supertest/types.js';
import { createApiApp } from '../../apps/api/src/create-app.js';
import { generateTestKeys, keyModeEnv, keyModeOf, type TestKeys } from './alipay-keys.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestApp {
  app: INestApplication;
  http: App;
  config: AppConfig;
  db: TestDatabase;
  dataSource: DataSource;
  close(): Promise<void>;
}

// One key pair per test file: the API reads its signing key at start-up, and a test must not
// depend on some other test (or `npm start`) having left dev keys in the checkout's keys/.
let keysOfThisFile: TestKeys | undefined;

/**
 * The real API (same pipes, filters and limits as production) on its own migrated database.
 * `env` overrides variables exactly as an operator would set them.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  options: { listenPort?: number } = {},
): Promise<TestApp> {
  const db = await createTestDatabase();
  keysOfThisFile ??= generateTestKeys();
  const config = loadConfig({
    APP_ENV: 'test',
    ALIPAY_APP_PRIVATE_KEY_PATH: keysOfThisFile.appPrivateKeyPath,
    ...keyModeEnv(keysOfThisFile, keyModeOf(env)),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    RATE_LIMIT_LOGIN: '1000',
    RATE_LIMIT_LOGIN_ACCOUNT: '1000',
    RATE_LIMIT_REGISTER: '1000',
    RATE_LIMIT_ORDERS: '1000',
    ...env,
  });
  const app = await createApiApp(config, db.url);
  if (options.listenPort) {
    // A real port, for callers outside this process (the sandbox's notifications).
    await app.listen(options.listenPort, '127.0.0.1');
  } else {
    await app.init();
    // Fastify builds its router on `ready()`, which `listen` does but `init` does not.
    await (app.getHttpAdapter().getInstance() as FastifyInstance).ready();
  }
  return {
    app,
    http: app.getHttpServer() as App,
    config,
    db,
    dataSource: app.get(DataSource),
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

let userCounter = 0;

export interface TestUser {
  id: number;
  username: string;
  password: string;
  token: string;
  auth: { Authorization: string };
}

/** Registers and logs in a fresh user; `staff` promotes it directly in the database. */
export async function signUp(
  testApp: TestApp,
  options: { staff?: boolean; nickname?: string; prefix?: string } = {},
): Promise<TestUser> {
  userCounter += 1;
  const username = `${options.prefix ?? 'user'}_${process.pid}_${userCounter}`;
  const password = 'correct-horse-battery';
  const registered = await request(testApp.http)
    .post('/users/register')
    .send({ username, password, nickname: options.nickname ?? `读者${userCounter}` })
    .expect(201);
  if (options.staff) {
    await testApp.dataSource.query('UPDATE users SET is_staff = true WHERE id = $1', [
      registered.body.id,
    ]);
  }
  const login = await request(testApp.http)
    .post('/users/login')
    .send({ username, password })
    .expect(200);
  return {
    id: registered.body.id as number,
    username,
    password,
    token: login.body.token as string,
    auth: { Authorization: `Bearer ${login.body.token as string}` },
  };
}

/** Publishes an article by `author` (POST /article/, 201 expected) and answers its id. */
export async function publishArticle(
  testApp: TestApp,
  author: TestUser,
  name: string,
  content = '正文。',
): Promise<number> {
  const { body } = await request(testApp.http)
    .post('/article/')
    .set(author.auth)
    .send({ name, content })
    .expect(201);
  return body.id as number;
}
