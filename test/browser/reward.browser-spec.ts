import type { Browser, Page } from 'playwright-core';
import { fen, logIn, openTab, screenshot, type Tab } from './support/browser-session.js';
import { describeWithBrowser, launchChromium } from './support/chromium.js';
import { startSystem, type RunningSystem, type SiteUser } from './support/system.js';

// 赞赏 end to end in a real browser: the dialog, Alipay through the sandbox cashier, the
// account balance, the wallet's result and lists, and what the article page shows afterwards.
describeWithBrowser('reward: the 赞赏 dialog, Alipay and the wallet', () => {
  let system: RunningSystem;
  let browser: Browser;
  let author: SiteUser;
  let articleId: number;
  let tabs: Tab[] = [];

  beforeAll(async () => {
    system = await startSystem();
    browser = await launchChromium();
    author = await system.createUser('晚风作者');
    articleId = await system.createArticle(
      author,
      '一封写给秋天的信',
      '秋天来的时候，院子里的银杏先黄了。\n\n我们在树下读信，一读就是一个下午。',
    );
  }, 300_000);

  afterEach(async () => {
    await Promise.all(tabs.map((tab) => tab.close()));
    tabs = [];
  });

  afterAll(async () => {
    await browser?.close();
    await system?.close();
  });

  async function readerTab(user: SiteUser): Promise<Tab> {
    const tab = await openTab(browser);
    tabs.push(tab);
    await logIn(tab, system.siteUrl, user);
    return tab;
  }

  async function authorAssets(page: Page): Promise<number> {
    const text = await page.getByTestId('author-assets').first().textContent();
    return fen((text ?? '').replace('¥', ''));
  }

  async function openDialog(page: Page): Promise<void> {
    await page.goto(`${system.siteUrl}/p/${articleId}`);
    await page.getByRole('button', { name: '赞赏支持' }).click();
    await page.getByRole('dialog').waitFor();
  }

  async function sandboxFaults(method: 'POST' | 'DELETE', body?: unknown): Promise<void> {
    const response = await fetch(`${system.sandboxUrl}/sandbox/faults`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`sandbox faults: ${response.status} ${await response.text()}`);
  }

  async function ordersOf(user: SiteUser) {
    return system.dataSource.query<
      { trade_no: string; status: number; money: string; pay_type: number; message: string }[]
    >(
      'SELECT trade_no, status, money::text AS money, pay_type, message FROM rewards WHERE user_id = $1 ORDER BY id',
      [user.id],
    );
  }

  it('pays 5 with Alipay through the sandbox cashier and lands on 支付成功', async () => {
    const reader = await system.createUser('支付宝读者');
    const { page, problems } = await readerTab(reader);

    await page.goto(`${system.siteUrl}/p/${articleId}`);
    const assetsBefore = await authorAssets(page);
    await screenshot(page, 'article');

    await page.getByRole('button', { name: '赞赏支持' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('radio', { name: '￥5', exact: true }).click();
    await dialog.getByPlaceholder('给Ta留言...').fill('写得真好，秋天快乐！');
    await dialog.getByRole('radio', { name: '支付宝' }).click();
    await screenshot(page, 'reward-dialog', false);
    await dialog.getByRole('button', { name: '确认支付 ￥5' }).click();

    await page.waitForURL(`${system.sandboxUrl}/**`);
    await page.getByText('沙箱环境').first().waitFor();
    await page.getByText('￥5.00').waitFor();
    await screenshot(page, 'sandbox-cashier');
    await page.getByRole('button', { name: '确认付款' }).click();

    await page.waitForURL(`${system.siteUrl}/wallet?**`);
    expect(new URL(page.url()).searchParams.get('out_trade_no')).toBeTruthy();
    const result = page.getByTestId('payment-result');
    await result.getByRole('heading', { name: '支付成功' }).waitFor({ timeout: 30_000 });
    await expect(result.textContent()).resolves.toContain('¥5.00');
    await page.getByTestId('given-rewards').getByText('写得真好，秋天快乐！').waitFor();
    await screenshot(page, 'wallet-alipay-success');

    await page.goto(`${system.siteUrl}/p/${articleId}`);
    expect(await authorAssets(page)).toBe(assetsBefore + 500);
    const block = page.getByTestId('reward-block');
    await block.locator('li[title="支付宝读者"]').waitFor();
    await expect(block.textContent()).resolves.toMatch(/\d+人赞赏/);
    // The payer sees their own amount and message under the supporters.
    await block.getByText('写得真好，秋天快乐！').waitFor();
    await screenshot(page, 'article-supported');

    const orders = await ordersOf(reader);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ status: 1, money: '500', pay_type: 0 });
    expect(problems).toEqual([]);
  });

  it('pays 10 from the balance once, even on a double click', async () => {
    const reader = await system.createUser('余额读者');
    await system.grant(reader.id, 5000);
    const { page, problems } = await readerTab(reader);

    await openDialog(page);
    const assetsBefore = await authorAssets(page);
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('radio', { name: '￥10', exact: true }).click();
    const balanceChip = dialog.getByRole('radio', { name: /账户余额/ });
    await expect(balanceChip.textContent()).resolves.toContain('¥50.00');
    await balanceChip.click();
    await dialog.getByRole('button', { name: '确认支付 ￥10' }).dblclick();

    await page.waitForURL(`${system.siteUrl}/wallet?trade_no=**`);
    await page.getByTestId('payment-result').getByRole('heading', { name: '支付成功' }).waitFor();
    await page.getByTestId('wallet-balance').filter({ hasText: '¥40.00' }).waitFor();
    await page.locator('.site-header').getByRole('link', { name: '我的钱包' }).click();
    await page.waitForURL(`${system.siteUrl}/wallet`);
    await page.getByTestId('payment-result').waitFor({ state: 'detached' });
    await page.goBack();
    await page.getByTestId('payment-result').getByRole('heading', { name: '支付成功' }).waitFor();
    await screenshot(page, 'wallet-balance-success');

    const orders = await ordersOf(reader);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ status: 1, money: '1000', pay_type: 1 });

    const me = await system.api<{ money: string }>('GET', '/users/me', { token: reader.token });
    expect(me.body.money).toBe('40.00');
    await page.goto(`${system.siteUrl}/p/${articleId}`);
    expect(await authorAssets(page)).toBe(assetsBefore + 1000);
    expect(problems).toEqual([]);
  });

  it('shows an anonymous tip as 匿名读者 to everyone', async () => {
    const reader = await system.createUser('不愿具名的人');
    await system.grant(reader.id, 2000);
    const { page } = await readerTab(reader);

    await openDialog(page);
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('radio', { name: '￥2', exact: true }).click();
    await dialog.getByLabel('匿名赞赏').check();
    await dialog.getByRole('radio', { name: /账户余额/ }).click();
    await dialog.getByRole('button', { name: '确认支付 ￥2' }).click();
    await page.getByTestId('payment-result').getByRole('heading', { name: '支付成功' }).waitFor();

    // A logged-out visitor, and the server-rendered HTML, see 匿名读者 and never the name.
    const html = await (await fetch(`${system.siteUrl}/p/${articleId}`)).text();
    expect(html).toContain('title="匿名读者"');
    expect(html).not.toContain('不愿具名的人');
    const visitor = await openTab(browser);
    tabs.push(visitor);
    await visitor.page.goto(`${system.siteUrl}/p/${articleId}`);
    await visitor.page.getByTestId('reward-block').locator('li[title="匿名读者"]').waitFor();

    // The author's wallet lists it as received from 匿名读者.
    const authorTab = await readerTab(author);
    await authorTab.page.goto(`${system.siteUrl}/wallet`);
    const received = authorTab.page.getByTestId('received-rewards');
    await received.locator('.payer', { hasText: '匿名读者' }).first().waitFor();
    await expect(received.textContent()).resolves.not.toContain('不愿具名的人');
    await screenshot(authorTab.page, 'wallet-author');
  });

  it('cancels a pending Alipay order from the wallet', async () => {
    const reader = await system.createUser('犹豫的读者');
    const { page, problems } = await readerTab(reader);

    await openDialog(page);
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('radio', { name: '￥20', exact: true }).click();
    await dialog.getByRole('button', { name: '确认支付 ￥20' }).click();
    await page.waitForURL(`${system.sandboxUrl}/**`);

    // The reader leaves the cashier without paying and opens the wallet instead.
    await page.goto(`${system.siteUrl}/wallet`);
    const [order] = await ordersOf(reader);
    const row = page.locator(`[data-trade-no="${order?.trade_no}"]`);
    await row.getByText('待支付').waitFor();
    await expect(row.getByRole('link', { name: '继续支付' }).getAttribute('href')).resolves.toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\//,
    );
    await screenshot(page, 'wallet-pending');
    await row.getByRole('button', { name: '取消' }).click();
    await row.getByText('已取消').waitFor();
    await expect(row.getByRole('button', { name: '取消' }).count()).resolves.toBe(0);

    const [after] = await ordersOf(reader);
    expect(after?.status).toBe(2);
    expect(problems).toEqual([]);
  });

  it('refuses a bad custom amount in the dialog and at the API, and shows API errors', async () => {
    const reader = await system.createUser('手滑的读者');
    const tab = await readerTab(reader);
    const { page } = tab;

    await openDialog(page);
    const dialog = page.getByRole('dialog');
    const custom = dialog.getByLabel('其他金额');
    const confirm = dialog.locator('button.confirm');
    for (const [typed, message] of [
      ['5.001', '金额最多保留两位小数'],
      ['0', '赞赏金额须在 0.01 到 10000 元之间'],
      ['10000.01', '赞赏金额须在 0.01 到 10000 元之间'],
      ['-3', '请输入正确的金额'],
      ['1e3', '请输入正确的金额'],
    ] as const) {
      await custom.fill(typed);
      await dialog.getByRole('alert').filter({ hasText: message }).waitFor();
      await expect(confirm.isDisabled()).resolves.toBe(true);
    }
    await custom.fill('8.88');
    await dialog.getByRole('button', { name: '确认支付 ￥8.88' }).waitFor();

    // Nothing in the balance: the API's 余额不足 appears in the dialog, in Chinese.
    await dialog.getByRole('radio', { name: /账户余额/ }).click();
    await dialog.getByRole('button', { name: '确认支付 ￥8.88' }).click();
    await dialog.getByTestId('reward-error').filter({ hasText: '余额不足' }).waitFor();
    await screenshot(page, 'reward-dialog-error', false);

    // Esc closes the dialog; so does a click outside it.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: '赞赏支持' }).click();
    await dialog.waitFor();
    await page.getByTestId('reward-overlay').click({ position: { x: 10, y: 10 } });
    await dialog.waitFor({ state: 'detached' });

    // The API refuses the same amount when it comes straight through the site's proxy.
    const direct = await tab.context.request.post(`${system.siteUrl}/api/payments/alipay/`, {
      data: { article_id: articleId, pay_type: 0, money: '5.001' },
      headers: { 'Idempotency-Key': 'browser-bad-amount-1' },
    });
    expect(direct.status()).toBe(400);
    const body = (await direct.json()) as { message: string | string[] };
    expect(JSON.stringify(body.message)).toMatch(/[\u4e00-\u9fff]/);
    expect(await ordersOf(reader)).toHaveLength(0);
  });

  it('refuses a tip on your own article with the API message in the dialog', async () => {
    const { page } = await readerTab(author);
    await openDialog(page);
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: '确认支付 ￥2' }).click();
    const error = dialog.getByTestId('reward-error');
    await error.waitFor();
    await expect(error.textContent()).resolves.toMatch(/[\u4e00-\u9fff]/);
  });

  it('shows 处理中 while Alipay has not confirmed, then 支付成功 once the notice lands', async () => {
    const reader = await system.createUser('耐心的读者');
    const { page, problems } = await readerTab(reader);
    // Alipay's answer to the return's trade query fails and its notice comes 4 s late.
    await sandboxFaults('POST', {
      delay_ms: 4000,
      open_api: { mode: '20000', count: 5, methods: ['alipay.trade.query'] },
    });
    try {
      await openDialog(page);
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('radio', { name: '￥50', exact: true }).click();
      await dialog.getByRole('button', { name: '确认支付 ￥50' }).click();
      await page.waitForURL(`${system.sandboxUrl}/**`);
      await page.getByRole('button', { name: '确认付款' }).click();

      await page.waitForURL(`${system.siteUrl}/wallet?**`);
      const result = page.getByTestId('payment-result');
      await result.getByRole('heading', { name: '处理中' }).waitFor();
      // The order being confirmed offers no 继续支付 / 取消: the reader has just paid it.
      const row = page.getByTestId('given-rewards').locator('[data-trade-no]').first();
      await row.getByText('确认中').waitFor();
      await expect(row.getByRole('button', { name: '取消' }).count()).resolves.toBe(0);
      await screenshot(page, 'wallet-processing');
      await result.getByRole('heading', { name: '支付成功' }).waitFor({ timeout: 30_000 });
      expect((await ordersOf(reader))[0]?.status).toBe(1);
      expect(problems).toEqual([]);
    } finally {
      await sandboxFaults('DELETE');
    }
  });

  it('shows 支付失败 for a forged return', async () => {
    const reader = await system.createUser('被冒充的读者');
    const created = await system.api<{ trade_no: string }>('POST', '/payments/alipay/', {
      token: reader.token,
      body: { article_id: articleId, pay_type: 0, money: '5' },
    });
    expect(created.status).toBe(201);
    const { page } = await readerTab(reader);
    const forged = new URLSearchParams({
      out_trade_no: created.body.trade_no,
      trade_no: '2026112622001400000000000001',
      total_amount: '5.00',
      sign_type: 'RSA2',
      sign: 'Zm9yZ2Vk',
    });
    await page.goto(`${system.siteUrl}/wallet?${forged.toString()}`);
    const result = page.getByTestId('payment-result');
    await result.getByRole('heading', { name: '支付失败' }).waitFor();
    await expect(result.textContent()).resolves.toContain('签名');
    expect((await ordersOf(reader))[0]?.status).toBe(0);
  });

  it('shows a <script> in the message as text, never running it', async () => {
    const reader = await system.createUser('调皮的读者');
    await system.grant(reader.id, 1000);
    const { page, problems } = await readerTab(reader);
    const hostile = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

    await openDialog(page);
    const dialog = page.getByRole('dialog');
    await dialog.getByPlaceholder('给Ta留言...').fill(hostile);
    await dialog.getByRole('radio', { name: /账户余额/ }).click();
    await dialog.getByRole('button', { name: '确认支付 ￥2' }).click();
    await page.getByTestId('payment-result').getByRole('heading', { name: '支付成功' }).waitFor();

    await page.getByTestId('given-rewards').getByText(hostile, { exact: false }).waitFor();
    await page.goto(`${system.siteUrl}/p/${articleId}`);
    await page.getByTestId('reward-block').getByText(hostile, { exact: false }).waitFor();
    expect(await page.evaluate<unknown>('window.__pwned')).toBeUndefined();

    const authorTab = await readerTab(author);
    await authorTab.page.goto(`${system.siteUrl}/wallet`);
    await authorTab.page.getByTestId('received-rewards').getByText(hostile).waitFor();
    expect(await authorTab.page.evaluate<unknown>('window.__pwned')).toBeUndefined();
    expect(problems.filter((problem) => !problem.includes('Failed to load resource'))).toEqual([]);
  });
});
