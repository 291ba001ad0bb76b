import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { logIn, openTab, type Tab } from './support/browser-session.js';
import { describeWithBrowser, launchChromium } from './support/chromium.js';
import { startSystem, type RunningSystem, type SiteUser } from './support/system.js';

// WCAG 2.1 AA on the site's pages, checked by axe-core in Chromium, and a tip paid with the
// keyboard alone (DESIGN.md "The site's defences").
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core'), 'utf8');

interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/**
 * Runs axe on the page as it is now. Injected through the DevTools protocol (page.evaluate),
 * which the page's Content-Security-Policy does not apply to: a <script> tag would be refused.
 */
async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  // A string, not a function: this project's TypeScript has no DOM types.
  return page.evaluate<AxeViolation[]>(`
    axe
      .run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      })
      .then((result) =>
        result.violations.map(({ id, impact, help, nodes }) => ({
          id,
          impact,
          help,
          nodes: nodes.map(({ target, failureSummary }) => ({ target, failureSummary })),
        })),
      )
  `);
}

function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map(
      (v) =>
        `${v.impact} ${v.id} (${v.help}): ${v.nodes
          .slice(0, 4)
          .map((node) => node.target.join(' '))
          .join(', ')}${v.nodes.length > 4 ? ` … ${v.nodes.length} in all` : ''}`,
    )
    .join('\n');
}

describeWithBrowser('accessibility: WCAG 2.1 AA and the keyboard', () => {
  let system: RunningSystem;
  let browser: Browser;
  let author: SiteUser;
  let reader: SiteUser;
  let articleId: number;
  const tabs: Tab[] = [];
  const report: string[] = [];

  beforeAll(async () => {
    system = await startSystem();
    browser = await launchChromium();
    author = await system.createUser('无障碍作者');
    reader = await system.createUser('键盘读者');
    await system.grant(reader.id, 5_000);
    articleId = await system.createArticle(
      author,
      '看得清，点得到',
      '每个人都应该能读到这篇文章。\n\n> 好的设计照顾每一个人。\n\n[一个链接](/)',
    );
    // A supporter, so the page shows the avatars and a note too.
    const supporter = await system.createUser('早来的读者');
    await system.grant(supporter.id, 1_000);
    const paid = await system.api('POST', '/payments/alipay/', {
      token: supporter.token,
      body: { article_id: articleId, pay_type: 1, money: '2.00', message: '支持' },
    });
    if (paid.status !== 201) throw new Error(`tip failed: ${JSON.stringify(paid.body)}`);
  }, 300_000);

  afterAll(async () => {
    process.stdout.write(`\naxe (WCAG 2.1 A/AA) per page:\n${report.join('\n')}\n`);
    await Promise.all(tabs.map((tab) => tab.close()));
    await browser?.close();
    await system?.close();
  });

  async function newTab(user?: SiteUser): Promise<Tab> {
    const tab = await openTab(browser);
    // Two cores shared with other suites: a page can take a while.
    tab.context.setDefaultTimeout(60_000);
    tabs.push(tab);
    if (user) await logIn(tab, system.siteUrl, user);
    return tab;
  }

  async function expectAccessible(page: Page, name: string): Promise<void> {
    const violations = await axeViolations(page);
    const severe = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    report.push(
      `  ${name}: ${violations.length} violation(s), ${severe.length} serious/critical` +
        (violations.length
          ? `\n    ${describeViolations(violations).replace(/\n/g, '\n    ')}`
          : ''),
    );
    expect(describeViolations(severe)).toBe('');
  }

  it('/ (logged out) has no serious or critical violation', async () => {
    const { page } = await newTab();
    await page.goto(`${system.siteUrl}/`);
    await page.locator('li.item').first().waitFor();
    await expectAccessible(page, '/');
  });

  it('/login has none', async () => {
    const { page } = await newTab();
    await page.goto(`${system.siteUrl}/login`);
    await page.getByPlaceholder('用户名').waitFor();
    await expectAccessible(page, '/login');
  });

  it('/p/:id with the 赞赏 dialog open has none', async () => {
    const { page } = await newTab(reader);
    await page.goto(`${system.siteUrl}/p/${articleId}`);
    await page.getByRole('button', { name: '赞赏支持' }).click();
    await page.getByRole('dialog').waitFor();
    await expectAccessible(page, '/p/:id with the dialog open');
  });

  it('/wallet has none', async () => {
    const { page } = await newTab(reader);
    await page.goto(`${system.siteUrl}/wallet`);
    await page.getByTestId('wallet-balance').waitFor();
    await expectAccessible(page, '/wallet');
  });

  it('/write has none', async () => {
    const { page } = await newTab(author);
    await page.goto(`${system.siteUrl}/write`);
    await page.getByPlaceholder('请输入标题').waitFor();
    await expectAccessible(page, '/write');
  });

  it('tips with the keyboard alone: Tab to 赞赏支持, open, choose, Esc returns focus, then pay', async () => {
    const { page, problems } = await newTab(reader);
    await page.goto(`${system.siteUrl}/p/${articleId}`);
    await page.getByRole('heading', { name: '看得清，点得到' }).waitFor();
    const focusedName = () =>
      page.evaluate<string>(
        `(document.activeElement?.getAttribute('aria-label') || document.activeElement?.textContent || '').trim()`,
      );

    // Tab from the top of the page to the button.
    let presses = 0;
    while ((await focusedName()) !== '赞赏支持') {
      await page.keyboard.press('Tab');
      if (++presses > 80) throw new Error('赞赏支持 is not reachable with Tab');
    }
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();

    // Focus stays inside the dialog however far one tabs, both ways.
    const focusInDialog = () =>
      page.evaluate<boolean>(`!!document.activeElement?.closest('[role="dialog"]')`);
    for (let n = 0; n < 25; n++) {
      await page.keyboard.press('Tab');
      expect(await focusInDialog()).toBe(true);
    }
    for (let n = 0; n < 25; n++) {
      await page.keyboard.press('Shift+Tab');
      expect(await focusInDialog()).toBe(true);
    }

    // Esc closes it and gives focus back to 赞赏支持.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focusedName()).toBe('赞赏支持');

    // Open again with the keyboard, choose ￥10 and the balance, pay.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    const tabTo = async (name: RegExp) => {
      for (let n = 0; n < 30; n++) {
        if (name.test(await focusedName())) return;
        await page.keyboard.press('Tab');
      }
      throw new Error(`${String(name)} is not reachable with Tab in the dialog`);
    };
    await tabTo(/^￥\s*10$/);
    await page.keyboard.press('Enter');
    await tabTo(/^账户余额/);
    await page.keyboard.press('Space');
    await tabTo(/^确认支付 ￥10$/);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/wallet\?trade_no=/);
    await page.getByTestId('payment-result').getByRole('heading', { name: '支付成功' }).waitFor();
    await page.getByTestId('wallet-balance').filter({ hasText: '¥40.00' }).waitFor();
    expect(problems).toEqual([]);
  });
});
