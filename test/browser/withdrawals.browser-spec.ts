import type { Browser } from 'playwright-core';
import { logIn, openTab, screenshot, type Tab } from './support/browser-session.js';
import { describeWithBrowser, launchChromium } from './support/chromium.js';
import { startSystem, type RunningSystem, type SiteUser } from './support/system.js';

// An author from tips received to money taken out (DESIGN.md "Author income"): the wallet
// shows the income chart and the statement, the author sets the payout account and asks for
// 提现, staff approve, the sandbox (certificate mode) pays, and the wallet shows 已到账.
describeWithBrowser('site: author income and 提现', () => {
  let system: RunningSystem;
  let browser: Browser;
  let author: SiteUser;
  let staff: SiteUser;
  let tab: Tab;

  beforeAll(async () => {
    system = await startSystem();
    browser = await launchChromium();
    author = await system.createUser('张荏苒');
    const reader = await system.createUser('李读者');
    staff = await system.createUser('审核员');
    await system.dataSource.query('UPDATE users SET is_staff = true WHERE id = $1', [staff.id]);
    const articleId = await system.createArticle(author, '写作的收入', '正文。');
    await system.grant(reader.id, 100_00);
    for (const money of ['30.00', '12.50']) {
      const tip = await system.api<{ status: number }>('POST', '/payments/alipay/', {
        token: reader.token,
        body: { article_id: articleId, pay_type: 1, money },
      });
      if (tip.status !== 201) throw new Error(`tip failed: ${JSON.stringify(tip)}`);
    }
    tab = await openTab(browser);
    await logIn(tab, system.siteUrl, author);
  }, 300_000);

  afterAll(async () => {
    await tab?.close();
    await browser?.close();
    await system?.close();
  });

  it('server-renders the income numbers and the statement (no script needed)', async () => {
    const cookies = await tab.context.cookies(system.siteUrl);
    const html = await (
      await fetch(`${system.siteUrl}/wallet`, {
        headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') },
      })
    ).text();
    expect(html).toContain('近 30 天收入');
    expect(html).toContain('¥42.50');
    expect(html).toMatch(/<rect[^>]*class="bar"/);
    expect(html).toContain('收支明细');
    expect(html).toContain('收到赞赏');
    expect(html).toContain('href="/api/users/me/statement.csv"');
  });

  it('draws the chart, sets the payout account and asks for 提现: reserved, listed, in the statement', async () => {
    const { page } = tab;
    await page.goto(`${system.siteUrl}/wallet`);
    // The enhancement ran under the page's CSP: the canvas replaced the server's bars.
    await page.locator('[data-testid="income-chart"] canvas').waitFor({ state: 'visible' });
    const statement = page.getByTestId('statement');
    await statement.locator('tr[data-kind="tip_received"]').first().waitFor();
    expect(await statement.locator('tbody tr').count()).toBe(2);

    const account = page.getByTestId('payout-account');
    await account.locator('input[name="real_name"]').fill('张荏苒');
    await account.locator('input[name="alipay_account"]').fill('author@example.com');
    await account.locator('input[name="password"]').fill('wrong-password');
    await account.getByRole('button', { name: '保存提现账户' }).click();
    await account.getByRole('alert').filter({ hasText: '当前密码不正确' }).waitFor();
    await account.locator('input[name="password"]').fill(author.password);
    await account.getByRole('button', { name: '保存提现账户' }).click();
    await account.getByTestId('payout-alipay').filter({ hasText: 'a***@example.com' }).waitFor();

    const withdrawals = page.getByTestId('withdrawals');
    await withdrawals.locator('input[name="amount"]').fill('50');
    await withdrawals.getByRole('button', { name: '申请提现' }).click();
    await withdrawals.getByRole('alert').filter({ hasText: '余额不足' }).waitFor();
    await withdrawals.locator('input[name="amount"]').fill('40.00');
    await withdrawals.getByRole('button', { name: '申请提现' }).click();
    await withdrawals.getByRole('status').filter({ hasText: '已申请提现 ¥40.00' }).waitFor();
    await withdrawals.locator('[data-status="0"]').filter({ hasText: '待审核' }).waitFor();
    await page.getByTestId('wallet-balance').filter({ hasText: '¥2.50' }).waitFor();
    await statement.locator('tr[data-kind="withdrawal"]').filter({ hasText: '-40.00' }).waitFor();
    await screenshot(page, 'wallet-withdrawal-requested');
    // The browser logs the two refusals the author was shown; nothing else went wrong.
    expect(tab.problems).toEqual([
      'console: Failed to load resource: the server responded with a status of 403 (Forbidden)',
      'console: Failed to load resource: the server responded with a status of 409 (Conflict)',
    ]);
  });

  it('staff approve: the sandbox pays the author, and the wallet shows 已到账', async () => {
    const { page } = tab;
    const queue = await system.api<{ items: { id: number; status: number }[] }>(
      'GET',
      '/admin/withdrawals?status=0',
      { token: staff.token },
    );
    expect(queue.body.items).toHaveLength(1);
    const approved = await system.api<{ status: number }>(
      'POST',
      `/admin/withdrawals/${queue.body.items[0].id}/approve`,
      { token: staff.token },
    );
    expect(approved).toMatchObject({ status: 200, body: { status: 2 } });
    const { transfers } = (await (
      await fetch(`${system.sandboxUrl}/sandbox/transfers`)
    ).json()) as {
      transfers: { status: string; trans_amount: string; payee_logon_id: string }[];
    };
    expect(transfers).toEqual([
      expect.objectContaining({
        status: 'SUCCESS',
        trans_amount: '40.00',
        payee_logon_id: 'author@example.com',
      }),
    ]);
    await page.reload();
    const withdrawals = page.getByTestId('withdrawals');
    await withdrawals.locator('[data-status="2"]').filter({ hasText: '已到账' }).waitFor();
    await page.getByTestId('wallet-balance').filter({ hasText: '¥2.50' }).waitFor();
    await page.locator('[data-testid="income-chart"] canvas').waitFor({ state: 'visible' });
    await page.getByTestId('statement').locator('tr[data-kind="withdrawal"]').waitFor();
    await screenshot(page, 'wallet-withdrawal-succeeded');
  });

  it('downloads the statement as CSV through the site', async () => {
    const { page } = tab;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByText('导出 CSV').click(),
    ]);
    expect(download.suggestedFilename()).toBe('statement.csv');
  });
});
