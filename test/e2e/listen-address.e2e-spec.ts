import { findFreePort } from '@renran/database';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { startApi, type RunningApi } from '../../apps/api/src/start-api.js';
import { generateTestKeys, keyModeEnv } from '../support/alipay-keys.js';
import { createEmptyDatabase, type TestDatabase } from '../support/test-database.js';

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(2_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** This machine's own IPv4 addresses other than loopback (a container has at least one). */
function externalAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((address) => address && address.family === 'IPv4' && !address.internal)
    .map((address) => address!.address);
}

describe('the address the API listens on', () => {
  let db: TestDatabase;
  let api: RunningApi | undefined;

  beforeAll(async () => {
    db = await createEmptyDatabase();
  });
  afterEach(async () => {
    await api?.stop();
    api = undefined;
  });
  afterAll(() => db.drop());

  async function start(extra: Record<string, string>): Promise<AddressInfo> {
    const keys = generateTestKeys();
    api = await startApi({
      DATABASE_URL: db.url,
      // An external database gets no development defaults (fail closed), so name them.
      JWT_SECRET: randomBytes(24).toString('hex'),
      ALIPAY_APP_ID: '2021000000000777',
      API_PORT: String(await findFreePort()),
      LOG_LEVEL: 'silent',
      ALIPAY_APP_PRIVATE_KEY_PATH: keys.appPrivateKeyPath,
      ...keyModeEnv(keys, 'certificate'),
      ...extra,
    });
    return api.app.getHttpServer().address() as AddressInfo;
  }

  it('in development is loopback only: not reachable on the machine network address', async () => {
    const bound = await start({});
    expect(bound.address).toBe('127.0.0.1');
    expect(await accepts('127.0.0.1', bound.port)).toBe(true);
    const external = externalAddresses();
    expect(external.length).toBeGreaterThan(0);
    for (const address of external) {
      expect(await accepts(address, bound.port)).toBe(false);
    }
  });

  it('listens where API_HOST says', async () => {
    const bound = await start({ API_HOST: '0.0.0.0' });
    expect(bound.address).toBe('0.0.0.0');
    for (const address of externalAddresses()) {
      expect(await accepts(address, bound.port)).toBe(true);
    }
  });
});
