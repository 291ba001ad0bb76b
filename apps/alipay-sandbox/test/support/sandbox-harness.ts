import { ensureDevKeys } from '@renran/config';
import { AlipaySdk } from 'alipay-sdk';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startSandbox,
  type RunningSandbox,
  type StartSandboxOptions,
} from '../../src/start-sandbox.js';

export const APP_ID = '2021000000000042';
export const SELLER_ID = '2088000000000042';

export interface KeySet {
  dir: string;
  /** The merchant app's pair, PKCS1 as `openssl genrsa` writes it. */
  appPrivateKey: string;
  appPublicKey: string;
  /** The sandbox's "Alipay" pair, PKCS8 as Alipay's key tool writes it. */
  alipayPrivateKey: string;
  alipayPublicKey: string;
  appPublicKeyPath: string;
  alipayPrivateKeyPath: string;
  /** 公钥证书 mode: certificates over the two pairs, from a fresh test root CA. */
  appCertPath: string;
  alipayCertPath: string;
  rootCertPath: string;
}

/** Fresh RSA-2048 key pairs for one suite, written to a temporary directory as `npm start` does. */
export function generateKeys(): KeySet {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-keys-'));
  const { paths } = ensureDevKeys(dir);
  const read = (path: string) => readFileSync(path, 'utf8');
  return {
    dir,
    appPrivateKey: read(paths.appPrivateKey),
    appPublicKey: read(paths.appPublicKey),
    alipayPrivateKey: read(paths.alipayPrivateKey),
    alipayPublicKey: read(paths.alipayPublicKey),
    appPublicKeyPath: paths.appPublicKey,
    alipayPrivateKeyPath: paths.alipayPrivateKey,
    appCertPath: paths.appCert,
    alipayCertPath: paths.alipayCert,
    rootCertPath: paths.alipayRootCert,
  };
}

/** A PKCS8 private key that is nobody's: for requests the sandbox must refuse. */
export function strangerPrivateKey(): string {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  }).privateKey;
}

export function tempStateDir(): string {
  return mkdtempSync(join(tmpdir(), 'sandbox-state-'));
}

/** The sandbox on a free loopback port with the suite's keys (given by path, as main does). */
export function startTestSandbox(
  keys: KeySet,
  stateDir: string,
  options: Partial<StartSandboxOptions> = {},
): Promise<RunningSandbox> {
  return startSandbox({
    port: 0,
    appId: APP_ID,
    sellerId: SELLER_ID,
    appPublicKeyPath: keys.appPublicKeyPath,
    alipayPrivateKeyPath: keys.alipayPrivateKeyPath,
    appCertPath: keys.appCertPath,
    alipayCertPath: keys.alipayCertPath,
    rootCertPath: keys.rootCertPath,
    stateDir,
    notifyTimeScale: 1200,
    logger: false,
    ...options,
  });
}

/** The merchant's client, configured as the API configures it for the real Alipay. */
export function merchantSdk(
  keys: KeySet,
  gatewayUrl: string,
  overrides: { privateKey?: string; keyType?: 'PKCS1' | 'PKCS8'; timeout?: number } = {},
): AlipaySdk {
  return new AlipaySdk({
    appId: APP_ID,
    privateKey: overrides.privateKey ?? keys.appPrivateKey,
    keyType: overrides.keyType ?? 'PKCS1',
    alipayPublicKey: keys.alipayPublicKey,
    gateway: gatewayUrl,
    timeout: overrides.timeout ?? 5000,
  });
}

export interface ReceivedNotice {
  params: Record<string, string>;
  /** When the POST arrived, and when it was answered (answerDelayMs later). */
  at: number;
  answeredAt?: number;
}

export interface NotifyReceiver {
  url: string;
  received: ReceivedNotice[];
  /** Resolves once `count` notices arrived (or rejects after timeoutMs). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedNotice[]>;
  close(): Promise<void>;
}

/**
 * A merchant notify_url on 127.0.0.1: records each POST (form-decoded) and answers what
 * `answer` says for the n-th one (1-based); `success` by default.
 */
export async function startNotifyReceiver(
  answer: (
    params: Record<string, string>,
    n: number,
  ) => { status?: number; body: string } = () => ({
    body: 'success',
  }),
  answerDelayMs = 0,
): Promise<NotifyReceiver> {
  const received: ReceivedNotice[] = [];
  const waiters: (() => void)[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const params = Object.fromEntries(
        new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
      );
      const notice: ReceivedNotice = { params, at: Date.now() };
      received.push(notice);
      const { status = 200, body } = answer(params, received.length);
      setTimeout(() => {
        notice.answeredAt = Date.now();
        response.writeHead(status, { 'content-type': 'text/plain' }).end(body);
      }, answerDelayMs);
      waiters.splice(0).forEach((wake) => wake());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/payments/alipay/result/`,
    received,
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) {
          throw new Error(`expected ${count} notices, got ${received.length}`);
        }
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return received.slice(0, count);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Beijing time `yyyy-MM-dd HH:mm:ss`, computed without the process time zone. */
export function beijingTime(epochMs: number): string {
  return new Date(epochMs + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

let orderCounter = 0;

/** A fresh out_trade_no per test, unique across runs of the same state directory. */
export function newOutTradeNo(prefix = 'R'): string {
  orderCounter += 1;
  return `${prefix}${Date.now()}_${process.pid}_${orderCounter}`;
}

/** GETs a page-pay URL the way a browser opens it. */
export async function openCashier(payUrl: string): Promise<{ status: number; html: string }> {
  const response = await fetch(payUrl, { redirect: 'manual' });
  return { status: response.status, html: await response.text() };
}

/** Presses 确认付款: POSTs the cashier's form, without following the redirect. */
export async function pressPay(
  sandboxUrl: string,
  cashierHtml: string,
): Promise<{ status: number; location: string | null; html: string }> {
  const action = /<form[^>]*action="([^"]+)"/.exec(cashierHtml)?.[1];
  if (!action) throw new Error('no 确认付款 form on the page');
  const response = await fetch(new URL(action.replaceAll('&amp;', '&'), sandboxUrl), {
    method: 'POST',
    redirect: 'manual',
  });
  return {
    status: response.status,
    location: response.headers.get('location'),
    html: await response.text(),
  };
}

/** JSON of the control API. */
export async function control<T = Record<string, unknown>>(
  sandbox: RunningSandbox,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** Polls `probe` until it returns true; fails naming `what` after timeoutMs. */
export async function until(
  probe: () => Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
