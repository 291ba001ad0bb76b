import type { Browser } from 'playwright-core';
import { logIn, openTab, screenshot, type Tab } from './support/browser-session.js';
import { describeWithBrowser, launchChromium } from './support/chromium.js';
import { startSystem, type RunningSystem, type SiteUser } from './support/system.js';

// What the site shows of a reader who tipped by name, anonymously, and had a tip refunded:
// the article page keeps the anonymous tip apart from the name, and the author's wallet does
// not count the refunded tip as income.
describeWithBrowser('site: anonymous supporters and refunded tips', () => {
  let system: RunningSystem;
  let browser: Browser;
  let author: SiteUser;
  let reader: SiteUser;
  let articleId: number;
  const tradeNos: Record<'named' | 'anonymous' | 'refunded', string> = {
    named: '',
    anonymous: '',
    refunded: '',
  };
  const tabs: Tab[] = [];

  async function tipByBalance(money: string, anonymous: boolean): Promise<string> {
    const created = await system.api<{ trade_no: string; status: number }>(
      'POST',
      '/payments/alipay/',
      {
        token: reader.token,
        body: { article_id: articleId, pay_type: 1, money, anonymous },
      },
    );
    if (created.status !== 201 || created.body.status !== 1) {
      throw new Error(`balance tip failed: ${JSON.stringify(created)}`);
    }
    return created.body.trade_no;
  }

  beforeAll(async () => {
    system = await startSystem();
    browser = await launchChromium();
    author = await system.createUser('退款文章的作者');
    reader = await system.createUser('既署名又匿名的读者');
    const staff = await system.createUser('客服');
    await system.dataSource.query('UPDATE users SET is_staff = true WHERE id = $1', [staff.id]);
    articleId = await system.createArticle(author, '一笔退掉的赞赏', '正文。');
    await system.grant(reader.id, 5000);

    tradeNos.refunded = await tipByBalance('2.00', false);
    tradeNos.named = await tipByBalance('3.00', false);
    tradeNos.anonymous = await tipByBalance('5.00', true);
    const refund = await system.api('POST', `/admin/rewards/${tradeNos.refunded}/refund`, {
      token: staff.token,
    });
    if (refund.status >= 300) throw new Error(`refund failed: ${JSON.stringify(refund)}`);
  }, 300_000);

  afterAll(async () => {
    for (const tab of tabs) await tab.close();
    await browser?.close();
    await system?.close();
  });

  it('server-renders the article page with the anonymous tip as a supporter of its own', async () => {
    const html = await (await fetch(`${system.siteUrl}/p/${articleId}`)).text();
    // The reader by name (the refunded tip no longer counts) and 匿名读者 apart from them.
    expect(html).toContain('2人赞赏');
    expect(html).toContain('title="既署名又匿名的读者"');
    expect(html).toContain('title="匿名读者"');
  });

  it("lists a refunded tip in the author's wallet as 已退款, not as income", async () => {
    const tab = await openTab(browser);
    tabs.push(tab);
    await logIn(tab, system.siteUrl, author);
    await tab.page.goto(`${system.siteUrl}/wallet`);
    const received = tab.page.getByTestId('received-rewards');
    const row = (tradeNo: string) => received.locator(`li[data-trade-no="${tradeNo}"]`);
    await row(tradeNos.refunded).waitFor();

    const refunded = (await row(tradeNos.refunded).innerText()).replace(/\s+/g, ' ');
    expect(refunded).toContain('已退款');
    expect(refunded).not.toContain('+¥');
    expect(await row(tradeNos.named).innerText()).toContain('+¥3.00');
    expect(await row(tradeNos.anonymous).innerText()).toContain('+¥5.00');
    // The balance shown is what the author holds: the two tips that stayed paid.
    await tab.page.getByTestId('wallet-balance').filter({ hasText: '¥8.00' }).waitFor();
    await screenshot(tab.page, 'wallet-author-refunded');
    expect(tab.problems).toEqual([]);
  });
});
