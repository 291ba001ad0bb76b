import type { Browser } from 'playwright-core';
import { logIn, openTab, screenshot } from './support/browser-session.js';
import { describeWithBrowser, launchChromium } from './support/chromium.js';
import { startSystem, type RunningSystem, type SiteUser } from './support/system.js';

// The reading side of the site in a real browser: the list, the server-rendered article page,
// 点赞, logging in and back, writing and publishing.
describeWithBrowser('site: reading, logging in and writing', () => {
  let system: RunningSystem;
  let browser: Browser;
  let author: SiteUser;
  let reader: SiteUser;
  let articleId: number;
  let otherArticleId: number;

  beforeAll(async () => {
    system = await startSystem();
    browser = await launchChromium();
    author = await system.createUser('林间作者');
    reader = await system.createUser('小王读者');
    otherArticleId = await system.createArticle(
      author,
      '告别平庸的15个小方法',
      '## 第一条\n\n每天读书半小时。',
    );
    articleId = await system.createArticle(
      author,
      '清晨的图书馆',
      [
        '清晨六点，图书馆的门还没有开，台阶上已经坐着三个学生。',
        '',
        '## 安静的力量',
        '',
        '> 读书是一个人的狂欢。',
        '',
        '- 第一件事：把手机放进抽屉',
        '- 第二件事：泡一杯茶',
      ].join('\n'),
    );
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await system?.close();
  });

  it('server-renders the article page: title, content, counts, <title> and description', async () => {
    const response = await fetch(`${system.siteUrl}/p/${articleId}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toMatch(/<title>清晨的图书馆<\/title>/);
    expect(html).toMatch(/<meta name="description" content="清晨六点，图书馆的门还没有开/);
    expect(html).toContain('<h1 class="title"');
    expect(html).toContain('清晨的图书馆');
    expect(html).toContain('<h2>安静的力量</h2>');
    expect(html).toContain('<blockquote>');
    expect(html).toMatch(/字数 \d+/);
    expect(html).toMatch(/阅读 \d+/);
    expect(html).toMatch(/0人点赞/);
    expect(html).toContain('林间作者');
    expect(html).toContain('总资产');
    expect(html).toContain('¥0.00');
    expect(html).toContain('还没有人赞赏，支持一下');
    // 推荐阅读 lists the other real article, not this one.
    expect(html).toContain('推荐阅读');
    expect(html).toContain(`href="/p/${otherArticleId}"`);
    // The generated avatar, never an external image.
    expect(html).toMatch(/<svg[^>]*class="avatar"/);
    expect(html).not.toMatch(/<img[^>]+src="https?:/);
  });

  it('answers an unknown article with a Chinese 404 page', async () => {
    const response = await fetch(`${system.siteUrl}/p/999999`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('文章不存在或尚未发布');
  });

  it('counts every logged-out view of the article page shown in a browser, also those served from the page cache', async () => {
    const storedReads = async (): Promise<number> => {
      const [row] = await system.dataSource.query<Array<{ read_count: number }>>(
        'SELECT read_count FROM articles WHERE id = $1',
        [articleId],
      );
      return row.read_count;
    };
    // The API writes the reads it counted once a second; the pages' beacons reach it after they
    // are shown. Waits until `expected`, then a little longer to see it stay.
    const settledReads = async (expected: number): Promise<number> => {
      const deadline = Date.now() + 30_000;
      while ((await storedReads()) < expected && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await new Promise((resolve) => setTimeout(resolve, 1500));
      return storedReads();
    };
    const before = await settledReads(0);
    // Each view is a browser showing the page, which counts it with a beacon: one renders the
    // page, the next ones, within the second, get that copy.
    const viewers = await Promise.all(Array.from({ length: 6 }, () => openTab(browser)));
    // Six pages loading at once on two shared cores: give them time.
    for (const tab of viewers) tab.context.setDefaultTimeout(60_000);
    const view = (tab: (typeof viewers)[number]) =>
      tab.page.goto(`${system.siteUrl}/p/${articleId}`, { waitUntil: 'commit' });
    try {
      const first = await view(viewers[0]);
      expect(first?.status()).toBe(200);
      const copies = await Promise.all(viewers.slice(1).map(view));
      for (const tab of viewers) {
        await tab.page.getByRole('heading', { name: '清晨的图书馆' }).waitFor();
      }
      expect(copies.filter((page) => page?.headers()['x-cache'] === 'HIT').length).toBeGreaterThan(
        0,
      );
      expect((await settledReads(before + 6)) - before).toBe(6);
      for (const tab of viewers) expect(tab.problems).toEqual([]);
    } finally {
      await Promise.all(viewers.map((tab) => tab.close()));
    }
  });

  it("never puts a logged-in reader in the article page's HTML; their page shows them once open", async () => {
    // The HTML is rendered without the reader and shared by all (one copy a second): the
    // reader's own parts come to their browser alone, after the page is shown.
    const visitor = await system.createUser('独一无二的访客');
    const asVisitor = { headers: { cookie: `renran_token=${visitor.token}` } };
    const anonymous = () => fetch(`${system.siteUrl}/p/${articleId}`).then((r) => r.text());
    const loggedIn = () =>
      fetch(`${system.siteUrl}/p/${articleId}`, asVisitor).then((r) => r.text());

    expect(await loggedIn()).not.toContain('独一无二的访客');
    expect(await anonymous()).not.toContain('独一无二的访客');
    expect(await loggedIn()).not.toContain('独一无二的访客');

    const tab = await openTab(browser);
    try {
      await logIn(tab, system.siteUrl, visitor);
      await tab.page.goto(`${system.siteUrl}/p/${articleId}`);
      await tab.page.locator('.site-header .me-name', { hasText: '独一无二的访客' }).waitFor();
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it('lists the public articles on / with author and 阅读 count, and opens one', async () => {
    const tab = await openTab(browser);
    try {
      await tab.page.goto(`${system.siteUrl}/`);
      const item = tab.page.locator('li.item', { hasText: '清晨的图书馆' });
      await expect(item.textContent()).resolves.toContain('林间作者');
      await expect(item.textContent()).resolves.toMatch(/阅读 \d+/);
      await screenshot(tab.page, 'home');
      await item.getByRole('link', { name: '清晨的图书馆' }).click();
      await tab.page.waitForURL(`**/p/${articleId}`);
      await tab.page.getByRole('heading', { name: '清晨的图书馆' }).waitFor();

      // 推荐阅读 leads to the other article, rendered in place of this one.
      await tab.page
        .locator('.recommend')
        .getByRole('link', { name: '告别平庸的15个小方法' })
        .click();
      await tab.page.waitForURL(`**/p/${otherArticleId}`);
      await tab.page.getByRole('heading', { name: '告别平庸的15个小方法' }).waitFor();
      await tab.page.locator('.article-body h2', { hasText: '第一条' }).waitFor();
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it('sends a logged-out reader to /login and back to the article, then 点赞 counts once', async () => {
    const tab = await openTab(browser);
    const { page } = tab;
    try {
      await page.goto(`${system.siteUrl}/p/${articleId}`);
      await page.getByRole('button', { name: '赞赏支持' }).click();
      await page.waitForURL(/\/login\?next=/);
      expect(new URL(page.url()).searchParams.get('next')).toBe(`/p/${articleId}`);

      await page.getByPlaceholder('用户名').fill(reader.username);
      await page.getByPlaceholder('密码').fill('wrong-password');
      await page.locator('form').getByRole('button', { name: '登录' }).click();
      await page.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor();
      await screenshot(page, 'login-error', false);

      await page.getByPlaceholder('密码').fill(reader.password);
      await page.locator('form').getByRole('button', { name: '登录' }).click();
      await page.waitForURL(`**/p/${articleId}`);
      await page.locator('.site-header .me-name', { hasText: '小王读者' }).waitFor();

      // The token lives in an httpOnly cookie that page scripts cannot read.
      const cookies = await tab.context.cookies();
      const session = cookies.find((cookie) => cookie.name === 'renran_token');
      expect(session?.httpOnly).toBe(true);
      expect(session?.sameSite).toBe('Lax');
      expect(await page.evaluate<string>('document.cookie')).not.toContain('renran_token');

      await page.getByRole('button', { name: '给文章点赞' }).click();
      await page.getByTestId('like-count').filter({ hasText: '1人点赞' }).waitFor();
      await page.reload();
      await page.getByTestId('like-count').filter({ hasText: '1人点赞' }).waitFor();
      await page.getByRole('button', { name: '给文章点赞' }).click();
      await page.getByTestId('like-count').filter({ hasText: '1人点赞 · 已赞' }).waitFor();

      await page.locator('.site-header').getByRole('button', { name: '退出' }).click();
      await page.waitForURL(`${system.siteUrl}/`);
      await page.locator('.site-header').getByRole('link', { name: '登录' }).waitFor();
      expect((await tab.context.cookies()).some((c) => c.name === 'renran_token')).toBe(false);
      // Only the wrong password's 401 showed up as a failed request.
      expect(tab.problems).toEqual([
        'console: Failed to load resource: the server responded with a status of 401 (Unauthorized)',
      ]);
    } finally {
      await tab.close();
    }
  });

  it('registers a new reader from the 注册 tab', async () => {
    const tab = await openTab(browser);
    const { page } = tab;
    try {
      await page.goto(`${system.siteUrl}/login?next=/wallet`);
      await page.getByRole('tab', { name: '注册' }).click();
      await page.getByPlaceholder('昵称（选填）').fill('新来的读者');
      await page.getByPlaceholder(/^用户名/).fill(`fresh${Date.now().toString(36)}`);
      await page.getByPlaceholder(/^密码/).fill('a-long-password');
      await page.getByRole('button', { name: '注册并登录' }).click();
      await page.waitForURL('**/wallet');
      await page.getByTestId('wallet-balance').filter({ hasText: '¥0.00' }).waitFor();
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it('lets an author write with a live preview, publish, and find the article on /', async () => {
    const tab = await openTab(browser);
    const { page } = tab;
    try {
      await page.goto(`${system.siteUrl}/write`);
      await page.waitForURL(/\/login\?next=%2Fwrite|\/login\?next=\/write/);
      await logIn(tab, system.siteUrl, author);
      await page.goto(`${system.siteUrl}/write`);
      await page.getByPlaceholder('请输入标题').fill('雨后的街道');
      await page
        .getByRole('textbox', { name: '正文（Markdown）' })
        .fill('## 雨停了\n\n街上的**积水**映着路灯。');
      await page.getByTestId('preview').locator('h2', { hasText: '雨停了' }).waitFor();
      await page.getByTestId('preview').locator('strong', { hasText: '积水' }).waitFor();
      await screenshot(page, 'write');
      await page.getByRole('button', { name: '发布文章' }).click();
      await page.waitForURL(/\/p\/\d+$/);
      await page.getByRole('heading', { name: '雨后的街道' }).waitFor();
      const newId = Number(new URL(page.url()).pathname.split('/').pop());

      await page.goto(`${system.siteUrl}/`);
      await page.locator(`a[href="/p/${newId}"]`, { hasText: '雨后的街道' }).first().waitFor();
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it('pages through the list ten at a time', async () => {
    for (let n = 1; n <= 10; n += 1) {
      await system.createArticle(author, `随笔第${n}篇`, `第${n}篇的正文。`);
    }
    const tab = await openTab(browser);
    const { page } = tab;
    try {
      await page.goto(`${system.siteUrl}/`);
      await expect(page.locator('li.item').count()).resolves.toBe(10);
      await page.getByText(/第 1 \/ \d+ 页/).waitFor();
      await page.getByRole('link', { name: '下一页' }).click();
      await page.waitForURL('**/?page=2');
      await page.locator('li.item', { hasText: '告别平庸的15个小方法' }).waitFor();
      await page.getByRole('link', { name: '上一页' }).waitFor();
      // Without JavaScript the second page is the same.
      const html = await (await fetch(`${system.siteUrl}/?page=2`)).text();
      expect(html).toContain('告别平庸的15个小方法');
      expect(html).not.toContain('随笔第10篇');
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it('keeps the aside under the article on a narrow screen', async () => {
    const tab = await openTab(browser);
    const { page } = tab;
    try {
      await page.setViewportSize({ width: 420, height: 900 });
      await page.goto(`${system.siteUrl}/p/${articleId}`);
      const main = await page.locator('.page-main').boundingBox();
      const aside = await page.locator('.page-aside').boundingBox();
      expect(main && aside && aside.y >= main.y + main.height - 1).toBe(true);
      await screenshot(page, 'article-narrow');
    } finally {
      await tab.close();
    }
  });
});
