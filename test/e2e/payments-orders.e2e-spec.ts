import request from 'supertest';
import { verifyAppSignature } from '../support/alipay-signer.js';
import {
  createPaymentsHarness,
  TEST_APP_ID,
  type PaymentsHarness,
} from '../support/payments-harness.js';
import { publishArticle, signUp, type TestUser } from '../support/test-app.js';

describe('reward orders', () => {
  let h: PaymentsHarness;
  let author: TestUser;
  let reader: TestUser;
  let staff: TestUser;
  let articleId: number;
  let draftId: number;

  beforeAll(async () => {
    h = await createPaymentsHarness({ RATE_LIMIT_ORDERS: '1000' });
    author = await signUp(h, { nickname: '作者' });
    reader = await signUp(h, { nickname: '读者' });
    staff = await signUp(h, { staff: true });
    const article = await request(h.http)
      .post('/article/')
      .set(author.auth)
      .send({ name: '告别平庸的15个小方法', content: '每天进步一点点。' })
      .expect(201);
    articleId = article.body.id;
    const draft = await request(h.http)
      .post('/article/')
      .set(author.auth)
      .send({ name: '草稿', content: '未发布', is_public: false })
      .expect(201);
    draftId = draft.body.id;
  });
  afterAll(async () => {
    await h.ledgerOk(staff);
    await h.close();
  });

  const counts = async () => {
    const [row] = await h.dataSource.query(
      `SELECT (SELECT count(*)::int FROM rewards) AS rewards,
              (SELECT count(*)::int FROM ledger_entries) AS entries,
              (SELECT COALESCE(sum(money), 0)::text FROM users) AS balances`,
    );
    return row;
  };

  it('creates an Alipay order with a signed page-pay URL that Alipay would accept', async () => {
    const before = Date.now();
    const response = await request(h.http)
      .post('/payments/alipay/')
      .set(reader.auth)
      .send({ article_id: articleId, pay_type: 0, money: '5', message: '写得好' })
      .expect(201);
    expect(response.body).toMatchObject({
      status: 0,
      money: '5.00',
      pay_type: 0,
      anonymous: false,
    });
    expect(response.body.trade_no).toMatch(/^[A-Za-z0-9_]{1,64}$/);

    const url = new URL(response.body.pay_url);
    expect(`${url.origin}${url.pathname}`).toBe(h.sandbox.gatewayUrl);
    const params = Object.fromEntries(url.searchParams.entries());
    expect(params).toMatchObject({
      app_id: TEST_APP_ID,
      method: 'alipay.trade.page.pay',
      charset: 'utf-8',
      sign_type: 'RSA2',
      version: '1.0',
      notify_url: `${h.apiUrl}/payments/alipay/result/`,
      return_url: 'http://127.0.0.1:8080/wallet',
    });
    expect(verifyAppSignature(params, h.keys.appPublicKey)).toBe(true);
    expect(
      verifyAppSignature({ ...params, return_url: 'https://evil.example/' }, h.keys.appPublicKey),
    ).toBe(false);

    // Beijing time, whatever this process's zone, within a few seconds of now.
    const beijing = new Date(before + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
    expect(params.timestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(params.timestamp.slice(0, 16) >= beijing).toBe(true);

    const biz = JSON.parse(params.biz_content);
    expect(biz).toEqual({
      out_trade_no: response.body.trade_no,
      total_amount: '5.00',
      subject: '打赏文章《告别平庸的15个小方法》',
      product_code: 'FAST_INSTANT_TRADE_PAY',
      time_expire: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
    });
    const expireMs = Date.parse(`${biz.time_expire.replace(' ', 'T')}+08:00`);
    expect(expireMs - before).toBeGreaterThan(14 * 60_000);
    expect(expireMs - before).toBeLessThan(16 * 60_000);

    // The sandbox gateway, speaking Alipay's protocol, opens a cashier for it.
    const cashier = await fetch(response.body.pay_url);
    expect(await cashier.text()).toContain('确认付款');
  });

  it('pays from the balance at once: 30 concurrent ¥10 tips from ¥200 make exactly 20', async () => {
    const payer = await signUp(h, { nickname: '富读者' });
    await h.grant(payer.id, 20_000);
    const authorBefore = await h.dataSource.query('SELECT money FROM users WHERE id = $1', [
      author.id,
    ]);
    const responses = await Promise.all(
      Array.from({ length: 30 }, () =>
        request(h.http)
          .post('/payments/alipay/')
          .set(payer.auth)
          .send({ article_id: articleId, pay_type: 1, money: 10 }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.filter((s) => s === 409)).toHaveLength(10);
    for (const r of responses.filter((r) => r.status === 201)) {
      expect(r.body).toMatchObject({ status: 1, pay_url: null, money: '10.00' });
    }
    for (const r of responses.filter((r) => r.status === 409)) {
      expect(r.body.message).toBe('余额不足');
    }
    const [payerRow] = await h.dataSource.query('SELECT money FROM users WHERE id = $1', [
      payer.id,
    ]);
    expect(payerRow.money).toBe('0');
    const [authorRow] = await h.dataSource.query('SELECT money FROM users WHERE id = $1', [
      author.id,
    ]);
    expect(Number(authorRow.money) - Number(authorBefore[0].money)).toBe(20_000);
    const [{ n }] = await h.dataSource.query(
      'SELECT count(*)::int AS n FROM rewards WHERE user_id = $1 AND status = 1',
      [payer.id],
    );
    expect(n).toBe(20);
    await h.ledgerOk(staff);
  });

  it('settles balance tips crossing between two authors at once without deadlocks', async () => {
    const [alice, bob] = [await signUp(h), await signUp(h)];
    await h.grant(alice.id, 10_000);
    await h.grant(bob.id, 10_000);
    const aliceArticle = await publishArticle(h, alice, 'x', 'y');
    const bobArticle = await publishArticle(h, bob, 'x', 'y');
    const tips = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0
        ? request(h.http)
            .post('/payments/alipay/')
            .set(alice.auth)
            .send({ article_id: bobArticle, pay_type: 1, money: 1 })
        : request(h.http)
            .post('/payments/alipay/')
            .set(bob.auth)
            .send({ article_id: aliceArticle, pay_type: 1, money: 1 }),
    );
    const statuses = (await Promise.all(tips)).map((response) => response.status);
    expect(statuses).toEqual(Array(20).fill(201));
    const rows = await h.dataSource.query(
      'SELECT money FROM users WHERE id = ANY($1) ORDER BY id',
      [[alice.id, bob.id]],
    );
    expect(rows).toEqual([{ money: '10000' }, { money: '10000' }]);
  });

  it('answers the first order again for a repeated Idempotency-Key', async () => {
    const payer = await signUp(h);
    await h.grant(payer.id, 5_000);
    const send = () =>
      request(h.http)
        .post('/payments/alipay/')
        .set(payer.auth)
        .set('Idempotency-Key', 'dialog-open-1')
        .send({ article_id: articleId, pay_type: 1, money: '20.00' });
    const [first, second] = await Promise.all([send(), send()]);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.trade_no).toBe(first.body.trade_no);
    const third = await send().expect(201);
    expect(third.headers['idempotent-replayed']).toBe('true');
    expect(third.body.trade_no).toBe(first.body.trade_no);
    const [{ money }] = await h.dataSource.query('SELECT money FROM users WHERE id = $1', [
      payer.id,
    ]);
    expect(money).toBe('3000');

    const other = await request(h.http)
      .post('/payments/alipay/')
      .set(payer.auth)
      .set('Idempotency-Key', 'dialog-open-1')
      .send({ article_id: articleId, pay_type: 1, money: '2' })
      .expect(409);
    expect(other.body.message).toContain('Idempotency-Key');
  });

  it('answers one Alipay order to concurrent requests with one Idempotency-Key', async () => {
    const payer = await signUp(h);
    const send = () =>
      request(h.http)
        .post('/payments/alipay/')
        .set(payer.auth)
        .set('Idempotency-Key', 'alipay-double-click')
        .send({ article_id: articleId, pay_type: 0, money: '3.50', message: '两次点击' });
    const answers = await Promise.all([send(), send(), send(), send()]);
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(answers.map((answer) => answer.body.trade_no)).size).toBe(1);
    for (const answer of answers) {
      expect(answer.body).toMatchObject({ status: 0, money: '3.50', message: '两次点击' });
      expect(new URL(answer.body.pay_url).searchParams.get('method')).toBe('alipay.trade.page.pay');
    }
    const rows = await h.dataSource.query(
      `SELECT status, money::text, channel, check_attempts, next_check_at > created_time AS watched,
              updated_time = created_time AS fresh
         FROM rewards WHERE user_id = $1`,
      [payer.id],
    );
    expect(rows).toEqual([
      { status: 0, money: '350', channel: 'page', check_attempts: 0, watched: true, fresh: true },
    ]);
  });

  it('refuses a message PostgreSQL cannot store with a 400, writing nothing', async () => {
    const before = await counts();
    await request(h.http)
      .post('/payments/alipay/')
      .set(reader.auth)
      .send({ article_id: articleId, pay_type: 0, money: '1', message: 'a\u0000b' })
      .expect(400);
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['zero', { money: 0 }, 'money'],
    ['"0"', { money: '0' }, 'money'],
    ['negative', { money: '-1' }, 'money'],
    ['three decimals', { money: '1.001' }, 'money'],
    ['an exponent', { money: '1e3' }, 'money'],
    ['text', { money: 'abc' }, 'money'],
    ['empty', { money: '' }, 'money'],
    ['null', { money: null }, 'money'],
    ['over REWARD_MAX', { money: '10000.01' }, 'money'],
    ['no money', { money: undefined }, 'money'],
    ['a bad pay_type', { pay_type: 2 }, 'pay_type'],
    ['a string pay_type', { pay_type: '0' }, 'pay_type'],
    ['a long message', { message: '长'.repeat(201) }, 'message'],
    ['a non-boolean anonymous', { anonymous: 'yes' }, 'anonymous'],
    ['an unknown field', { content: '原作的 content 字段' }, 'content'],
    ['a missing article', { article_id: 999999 }, '文章不存在'],
    ['a negative article_id', { article_id: -1 }, 'article_id'],
  ])('refuses %s with a 400 and writes nothing', async (_label, change, expected) => {
    const before = await counts();
    const body: Record<string, unknown> = {
      article_id: articleId,
      pay_type: 1,
      money: '5',
      ...change,
    };
    const response = await request(h.http)
      .post('/payments/alipay/')
      .set(reader.auth)
      .send(body)
      .expect(400);
    expect(JSON.stringify(response.body.message)).toContain(expected);
    expect(await counts()).toEqual(before);
  });

  it('refuses an unpublished article and a self-tip with a 400, writing nothing', async () => {
    await h.grant(author.id, 1_000);
    const before = await counts();
    const draft = await request(h.http)
      .post('/payments/alipay/')
      .set(reader.auth)
      .send({ article_id: draftId, pay_type: 0, money: 5 })
      .expect(400);
    expect(draft.body.message).toBe('文章不存在或尚未发布，无法打赏');
    const self = await request(h.http)
      .post('/payments/alipay/')
      .set(author.auth)
      .send({ article_id: articleId, pay_type: 1, money: 5 })
      .expect(400);
    expect(self.body.message).toBe('不能给自己的文章打赏');
    expect(await counts()).toEqual(before);
  });

  it('requires a token', async () => {
    await request(h.http)
      .post('/payments/alipay/')
      .send({ article_id: articleId, pay_type: 0, money: 5 })
      .expect(401);
  });

  it('shows an order only to its payer, its author and staff', async () => {
    const created = await request(h.http)
      .post('/payments/alipay/')
      .set(reader.auth)
      .send({ article_id: articleId, pay_type: 0, money: '2' })
      .expect(201);
    const path = `/payments/rewards/${created.body.trade_no}`;
    for (const user of [reader, author, staff]) {
      const seen = await request(h.http).get(path).set(user.auth).expect(200);
      expect(seen.body).toMatchObject({
        trade_no: created.body.trade_no,
        article: { id: articleId },
      });
    }
    const stranger = await signUp(h);
    await request(h.http).get(path).set(stranger.auth).expect(404);
    await request(h.http).get('/payments/rewards/not-a-trade-no!').set(reader.auth).expect(404);
  });
});

describe('order rate limit', () => {
  let h: PaymentsHarness;

  beforeAll(async () => {
    h = await createPaymentsHarness({ RATE_LIMIT_ORDERS: '3' });
  });
  afterAll(() => h.close());

  it('answers 429 with Retry-After past RATE_LIMIT_ORDERS per user', async () => {
    const author = await signUp(h);
    const reader = await signUp(h);
    const { body } = await request(h.http)
      .post('/article/')
      .set(author.auth)
      .send({ name: 't', content: 'c' })
      .expect(201);
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 5; i++) {
      const response = await request(h.http)
        .post('/payments/alipay/')
        .set(reader.auth)
        .send({ article_id: body.id, pay_type: 0, money: 1 });
      statuses.push(response.status);
      retryAfter ??= response.headers['retry-after'];
    }
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
