import { jest } from '@jest/globals';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium: CHROMIUM_PATH, else `chromium` on the PATH. */
export function findChromium(): string | null {
  const candidates = process.env.CHROMIUM_PATH
    ? [process.env.CHROMIUM_PATH]
    : (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'chromium'));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not this one
    }
  }
  return null;
}

function runningInCi(): boolean {
  const ci = process.env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/** A browser case drives several pages and a payment; Jest's 30 s default is too short. */
export const BROWSER_TEST_TIMEOUT_MS = 120_000;

/**
 * `describe` when chromium is here; outside CI a missing browser skips the suite with one
 * loud line, in CI it fails the run.
 */
export function describeWithBrowser(name: string, body: () => void): void {
  if (findChromium()) {
    jest.setTimeout(BROWSER_TEST_TIMEOUT_MS);
    describe(name, body);
    return;
  }
  const reason = process.env.CHROMIUM_PATH
    ? `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not an executable`
    : 'no `chromium` on the PATH (apt-get install -y chromium, or set CHROMIUM_PATH)';
  if (runningInCi()) {
    throw new Error(`Browser tests need chromium in CI: ${reason}`);
  }
  process.stderr.write(`\n!!!!! BROWSER SUITE "${name}" SKIPPED: ${reason} !!!!!\n\n`);
  describe.skip(name, body);
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('chromium not found');
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
