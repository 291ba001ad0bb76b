import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { REPO_ROOT } from './site-build.js';
import type { SiteUser } from './system.js';

export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-artifacts', 'screenshots');

export interface Tab {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors seen so far. */
  problems: string[];
  close(): Promise<void>;
}

/** A fresh browser context (its own cookies) with one page, desktop-sized, in Chinese. */
export async function openTab(browser: Browser): Promise<Tab> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  return { context, page, problems, close: () => context.close() };
}

/** Logs in through the site's own session route, as the login form does (cookie set). */
export async function logIn(tab: Tab, siteUrl: string, user: SiteUser): Promise<void> {
  const response = await tab.context.request.post(`${siteUrl}/api/session/login`, {
    data: { username: user.username, password: user.password },
  });
  if (response.status() !== 200) {
    throw new Error(`login failed: ${response.status()} ${await response.text()}`);
  }
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage });
}

/** Yuan string "12.34" -> 1234 fen. */
export function fen(yuan: string): number {
  const match = /^(-?)(\d+)\.(\d{2})$/.exec(yuan.trim());
  if (!match) throw new Error(`not a yuan amount: ${yuan}`);
  return (match[1] ? -1 : 1) * Number(match[2] + match[3]);
}
