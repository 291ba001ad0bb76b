import { findFreePort } from '@renran/database';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startSandbox, type RunningSandbox } from '../../apps/alipay-sandbox/src/start-sandbox.js';
import { AfterCommitEvents } from '../../apps/api/src/common/persistence/after-commit-events.js';
import { LedgerService } from '../../apps/api/src/ledger/ledger.service.js';
import { generateTestKeys, keyModeEnv, type KeyMode, type TestKeys } from './alipay-keys.js';
import { signAsAlipay } from './alipay-signer.js';
import { createTestApp, publishArticle, signUp, type TestApp, type TestUser } from './test-app.js';

export const TEST_APP_ID = '2021000000000777';
export const TEST_SELLER_ID = '2088000000000777';

export interface PaymentsHarness extends TestApp {
  keys: TestKeys;
  sandbox: RunningSandbox;
  apiUrl: string;
  /** Calls the sandbox's control API (JSON). */
  sandboxApi<T = unknown>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<T>;
  /** A notification signed with the test "Alipay" key. */
  signedNotice(fields: Record<string, string>): Record<string, string>;
  grant(userId: number, fen: number): Promise<void>;
  ledgerOk(staff: TestUser): Promise<void>;
}

/**
 * The API listening on a real port, wired to a real sandbox in this process, with keys made
 * for this run. Notifications from the sandbox really travel over 127.0.0.1.
 */
export async function createPaymentsHarness(
  env: Record<string, string> = {},
  options: { keyMode?: KeyMode } = {},
): Promise<PaymentsHarness> {
  const keys = generateTestKeys();
  const sandbox = await startSandbox({
    port: 0,
    appId: TEST_APP_ID,
    sellerId: TEST_SELLER_ID,
    appPublicKeyPath: keys.appPublicKeyPath,
    alipayPrivateKeyPath: keys.alipayPrivateKeyPath,
    appCertPath: keys.appCertPath,
    alipayCertPath: keys.alipayCertPath,
    rootCertPath: keys.rootCertPath,
    stateDir: mkdtempSync(join(tmpdir(), 'renran-sandbox-')),
    notifyTimeScale: 240,
    openApiTimeoutMs: 7000,
    logger: false,
  });
  const apiPort = await findFreePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const t = await createTestApp(
    {
      ALIPAY_APP_ID: TEST_APP_ID,
      ALIPAY_SELLER_ID: TEST_SELLER_ID,
      ALIPAY_GATEWAY: sandbox.gatewayUrl,
      ALIPAY_APP_PRIVATE_KEY_PATH: keys.appPrivateKeyPath,
      ...keyModeEnv(keys, options.keyMode ?? 'certificate'),
      ALIPAY_NOTIFY_URL: `${apiUrl}/payments/alipay/result/`,
      ALIPAY_RETURN_URL: 'http://127.0.0.1:8080/wallet',
      ...env,
    },
    { listenPort: apiPort },
  );

  return {
    ...t,
    keys,
    sandbox,
    apiUrl,
    close: async () => {
      await t.close();
      await sandbox.close();
    },
    sandboxApi: async <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) => {
      const response = await fetch(`${sandbox.url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`sandbox ${method} ${path}: ${response.status} ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    },
    signedNotice: (fields) =>
      signAsAlipay(
        {
          notify_time: '2026-11-26 10:00:00',
          notify_type: 'trade_status_sync',
          notify_id: `nid${randomBytes(8).toString('hex')}`,
          app_id: TEST_APP_ID,
          auth_app_id: TEST_APP_ID,
          charset: 'utf-8',
          version: '1.0',
          seller_id: TEST_SELLER_ID,
          trade_no: `2026112622001400${randomBytes(6).toString('hex')}`,
          buyer_id: '2088102177846880',
          trade_status: 'TRADE_SUCCESS',
          gmt_payment: '2026-11-26 10:00:00',
          ...fields,
        },
        keys.alipayPrivateKey,
      ),
    grant: async (userId, fen) => {
      const ledger = t.app.get(LedgerService);
      // The ledger announces balance changes after commit: its transaction must say when.
      await t.app.get(AfterCommitEvents).transaction((manager) =>
        ledger.post(manager, {
          movement: `grant:test:${randomBytes(6).toString('hex')}`,
          kind: 'grant',
          legs: [
            { account: 'grants', amount: -fen, role: 'grants' },
            { account: 'user', userId, amount: fen, role: 'user' },
          ],
        }),
      );
    },
    ledgerOk: async (staff) => {
      const verified = await request(t.http)
        .get('/admin/ledger/verify')
        .set(staff.auth)
        .expect(200);
      expect(verified.body.mismatches).toEqual([]);
      expect(verified.body.ok).toBe(true);
    },
  };
}

export interface TippingCast {
  author: TestUser;
  reader: TestUser;
  staff: TestUser;
  articleId: number;
}

/** An author with one published article, a reader to tip it, and a staff user. */
export async function castForTipping(
  h: PaymentsHarness,
  names: { author: string; reader: string; article: string },
): Promise<TippingCast> {
  const author = await signUp(h, { nickname: names.author });
  const reader = await signUp(h, { nickname: names.reader });
  const staff = await signUp(h, { staff: true });
  const articleId = await publishArticle(h, author, names.article);
  return { author, reader, staff, articleId };
}
