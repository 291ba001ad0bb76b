import jsqr from 'jsqr';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { logIn, screenshot, type Tab } from './support/browser-session.js';
import { describeWithBrowser, launchChromium } from './support/chromium.js';
import { startSystem, type RunningSystem, type SiteUser } from './support/system.js';

const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const WECHAT_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0 Mobile Safari/537.36 MicroMessenger/8.0.49.2600 NetType/WIFI Language/zh_CN';
// jsqr is CommonJS: Node hands ESM the function itself, its typings describe `.default`.
const jsQR = ((jsqr as { default?: unknown }).default ?? jsqr) as typeof jsqr.default;

const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  userAgent: IPHONE_UA,
};

// Phones and scan-to-pay in a real browser: a phone pays through Alipay's phone cashier (wap),
// a desktop scans a locally drawn QR code (precreate) and sees 支付成功 without reloading.
describeWithBrowser('channels: phones (wap) and scan-to-pay (qr)', () => {
  let system: RunningSystem;
  let browser: Browser;
  let author: SiteUser;
  let articleId: number;
  let tabs: Tab[] = [];

  beforeAll(async () => {
    system = await startSystem();
    browser = await launchChromium();
    author = await system.createUser('掌上作者');
    articleId = await system.createArticle(
      author,
      '在地铁上读完的一篇长文',
      '早高峰的地铁里，每个人都低着头。\n\n我在手机上读完了这篇文章，顺手给作者送了一颗糖。',
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

  async function tab(options: BrowserContextOptions, user?: SiteUser): Promise<Tab> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      ...options,
    });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      // Failed responses are listed with their address below, which says more.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        problems.push(`console: ${message.text()}`);
      }
    });
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`http ${response.status()} ${response.url()}`);
    });
    const opened: Tab = { context, page, problems, close: () => context.close() };
    tabs.push(opened);
    if (user) await logIn(opened, system.siteUrl, user);
    return opened;
  }

  /** Nothing on the page is wider than the phone: no sideways scrolling. */
  async function fitsWidth(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
    return page.evaluate<{ scrollWidth: number; innerWidth: number }>(
      '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
    );
  }

  const orderOf = async (user: SiteUser) =>
    (
      await system.dataSource.query<
        { trade_no: string; status: number; channel: string; qr_code: string | null }[]
      >(
        'SELECT trade_no, status, channel, qr_code FROM rewards WHERE user_id = $1 ORDER BY id DESC LIMIT 1',
        [user.id],
      )
    )[0];

  it('a phone (390×844) pays through the wap cashier and lands on /wallet 支付成功', async () => {
    const reader = await system.createUser('通勤读者');
    const { page, problems } = await tab(PHONE, reader);

    await page.goto(`${system.siteUrl}/p/${articleId}`);
    await page.getByRole('heading', { name: '在地铁上读完的一篇长文' }).waitFor();
    expect(await fitsWidth(page)).toEqual({ scrollWidth: 390, innerWidth: 390 });
    await screenshot(page, 'phone-article');

    await page.getByRole('button', { name: '赞赏支持' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    // A bottom sheet: the full width of the phone, resting on its bottom edge.
    const sheet = await dialog.boundingBox();
    expect(sheet).not.toBeNull();
    expect(Math.round(sheet!.width)).toBe(390);
    expect(Math.round(sheet!.y + sheet!.height)).toBe(844);
    await dialog.getByRole('radio', { name: '￥2', exact: true }).click();
    await dialog.getByRole('radio', { name: '支付宝' }).click();
    // A phone is not offered the desktop choices: it goes to Alipay's phone cashier.
    expect(await dialog.getByRole('radio', { name: '扫码支付' }).count()).toBe(0);
    await screenshot(page, 'phone-reward-dialog', false);
    await dialog.getByRole('button', { name: '确认支付 ￥2' }).click();

    await page.waitForURL(`${system.sandboxUrl}/**`);
    await page.getByText('手机收银台').waitFor();
    await page.getByText('￥2.00').first().waitFor();
    expect(await fitsWidth(page)).toEqual({ scrollWidth: 390, innerWidth: 390 });
    await screenshot(page, 'phone-wap-cashier');
    await page.getByRole('button', { name: '确认付款' }).click();

    await page.waitForURL(`${system.siteUrl}/wallet?**`);
    const result = page.getByTestId('payment-result');
    await result.getByRole('heading', { name: '支付成功' }).waitFor({ timeout: 30_000 });
    await expect(result.textContent()).resolves.toContain('¥2.00');
    expect(await fitsWidth(page)).toEqual({ scrollWidth: 390, innerWidth: 390 });
    await screenshot(page, 'phone-wallet-success');

    expect(await orderOf(reader)).toMatchObject({ status: 1, channel: 'wap' });
    expect(problems).toEqual([]);
  });

  it('the login and write pages fit a 390 px phone', async () => {
    const visitor = await tab(PHONE);
    await visitor.page.goto(`${system.siteUrl}/login`);
    await visitor.page.getByRole('button', { name: /登录/ }).first().waitFor();
    expect(await fitsWidth(visitor.page)).toEqual({ scrollWidth: 390, innerWidth: 390 });
    await screenshot(visitor.page, 'phone-login');

    const writer = await tab(PHONE, author);
    await writer.page.goto(`${system.siteUrl}/write`);
    await writer.page.locator('textarea').first().waitFor();
    expect(await fitsWidth(writer.page)).toEqual({ scrollWidth: 390, innerWidth: 390 });
    await screenshot(writer.page, 'phone-write');
    expect([...visitor.problems, ...writer.problems]).toEqual([]);
  });

  it('inside WeChat the dialog says 请在浏览器中打开 instead of paying with Alipay', async () => {
    const reader = await system.createUser('微信读者');
    const { page } = await tab({ ...PHONE, userAgent: WECHAT_UA }, reader);
    await page.goto(`${system.siteUrl}/p/${articleId}`);
    await page.getByRole('button', { name: '赞赏支持' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('radio', { name: '支付宝' }).click();
    await dialog.getByTestId('wechat-note').getByText('请在浏览器中打开').waitFor();
    expect(await dialog.getByRole('button', { name: /确认支付/ }).isDisabled()).toBe(true);
    await screenshot(page, 'phone-wechat-dialog', false);
    expect(await orderOf(reader)).toBeUndefined();
  });

  it('a desktop scans the QR code: its text is the sandbox URL; paying there flips the dialog to 支付成功', async () => {
    const reader = await system.createUser('扫码读者');
    const { page, context, problems } = await tab({}, reader);
    await page.goto(`${system.siteUrl}/p/${articleId}`);
    // Survives only as long as the page is not reloaded.
    await page.evaluate('window.notReloaded = true');

    await page.getByRole('button', { name: '赞赏支持' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('radio', { name: '￥5', exact: true }).click();
    await dialog.getByRole('radio', { name: '支付宝' }).click();
    await dialog.getByRole('radio', { name: '扫码支付' }).click();
    await dialog.getByRole('button', { name: '确认支付 ￥5' }).click();

    const panel = dialog.getByTestId('qr-pay');
    const code = panel.getByRole('img', { name: '支付宝付款码' });
    await code.waitFor();
    await panel.getByText('￥5.00').waitFor();
    const countdown = await panel.getByTestId('qr-countdown').textContent();
    expect(countdown).toMatch(/^1[45]:\d{2}$/);
    await screenshot(page, 'desktop-qr-dialog', false);

    // Decode what the screen shows: the rendered pixels of the code, read by jsQR.
    const png = await code.screenshot();
    const decoder = await context.newPage();
    const pixels = await decoder.evaluate<{ width: number; height: number; rgba: number[] }>(`
      (async () => {
        const image = new Image();
        image.src = 'data:image/png;base64,${png.toString('base64')}';
        await image.decode();
        const canvas = document.createElement('canvas');
        canvas.width = image.width;
        canvas.height = image.height;
        const context2d = canvas.getContext('2d');
        context2d.drawImage(image, 0, 0);
        const data = context2d.getImageData(0, 0, canvas.width, canvas.height);
        return { width: data.width, height: data.height, rgba: Array.from(data.data) };
      })()
    `);
    await decoder.close();
    const decoded = jsQR(Uint8ClampedArray.from(pixels.rgba), pixels.width, pixels.height);
    expect(decoded).not.toBeNull();
    const order = await orderOf(reader);
    expect(order).toMatchObject({ status: 0, channel: 'qr' });
    expect(decoded!.data).toBe(order.qr_code);
    expect(decoded!.data).toMatch(new RegExp(`^${system.sandboxUrl}/qr/bax[0-9a-f]{24}$`));

    // The "phone" that scanned it: a second page opens the code's URL and pays.
    const phone = await tab(PHONE);
    await phone.page.goto(decoded!.data);
    await phone.page.getByText('￥5.00').first().waitFor();
    await screenshot(phone.page, 'phone-scanned-qr');
    await phone.page.getByRole('button', { name: '确认付款' }).click();
    await phone.page.getByRole('heading', { name: '付款成功' }).waitFor();

    await panel.getByRole('heading', { name: '支付成功' }).waitFor({ timeout: 30_000 });
    expect(await page.evaluate<unknown>('window.notReloaded')).toBe(true);
    await screenshot(page, 'desktop-qr-paid', false);
    expect(await orderOf(reader)).toMatchObject({ status: 1, channel: 'qr' });
    expect(problems).toEqual([]);
  });
});
