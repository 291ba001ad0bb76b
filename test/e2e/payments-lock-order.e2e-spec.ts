import request from 'supertest';
import {
  castForTipping,
  createPaymentsHarness,
  type PaymentsHarness,
} from '../support/payments-harness.js';
import { signUp, type TestUser } from '../support/test-app.js';

const PAIRS = 50;

/**
 * DESIGN.md, "One lock order": every transaction that locks several rows takes them as
 * rewards → refunds → withdrawals → articles → users (users by ascending id). A settlement
 * and a balance refund of tips on one article meet on the article's row and the author's
 * balance; taken in two orders, they deadlock.
 */
describe('one lock order: concurrent settlements and balance refunds', () => {
  let h: PaymentsHarness;
  let author: TestUser;
  let reader: TestUser;
  let staff: TestUser;
  let articleId: number;

  beforeAll(async () => {
    h = await createPaymentsHarness();
    ({ author, reader, staff, articleId } = await castForTipping(h, {
      author: '同一篇文章的作者',
      reader: '用支付宝打赏的读者',
      article: '两个方向的锁',
    }));
  });
  afterAll(async () => {
    await h.ledgerOk(staff);
    await h.close();
  });

  const balanceOf = async (userId: number) =>
    Number(
      (
        await h.dataSource.query<{ money: string }[]>('SELECT money FROM users WHERE id = $1', [
          userId,
        ])
      )[0].money,
    );

  it(`${PAIRS} settlements and ${PAIRS} balance refunds at once, on one article: no deadlock, every one done once`, async () => {
    const payer = await signUp(h, { nickname: '用余额打赏的读者' });
    await h.grant(payer.id, PAIRS * 100);
    const balanceTips: string[] = [];
    for (let i = 0; i < PAIRS; i++) {
      const { body } = await request(h.http)
        .post('/payments/alipay/')
        .set(payer.auth)
        .send({ article_id: articleId, pay_type: 1, money: '1.00' })
        .expect(201);
      balanceTips.push(body.trade_no as string);
    }
    const alipayOrders: string[] = [];
    for (let i = 0; i < PAIRS; i++) {
      const { body } = await request(h.http)
        .post('/payments/alipay/')
        .set(reader.auth)
        .send({ article_id: articleId, pay_type: 0, money: '2.00' })
        .expect(201);
      alipayOrders.push(body.trade_no as string);
    }
    const authorBefore = await balanceOf(author.id);

    const answers = await Promise.all(
      alipayOrders.flatMap((tradeNo, i) => [
        request(h.http)
          .post('/payments/alipay/result/')
          .type('form')
          .send(h.signedNotice({ out_trade_no: tradeNo, total_amount: '2.00' }))
          .then((response) => ({
            what: `notify ${i}`,
            status: response.status,
            text: response.text,
          })),
        request(h.http)
          .post(`/admin/rewards/${balanceTips[i]}/refund`)
          .set(staff.auth)
          .then((response) => ({
            what: `refund ${i}`,
            status: response.status,
            text: response.text,
          })),
      ]),
    );

    // A deadlock aborts one of the two: its notice answers `fail`, or its refund a 5xx.
    const failed = answers.filter(
      (answer) =>
        answer.status !== 200 || (answer.what.startsWith('notify') && answer.text !== 'success'),
    );
    expect(failed).toEqual([]);
    const statuses = await h.dataSource.query<{ pay_type: number; status: number; n: number }[]>(
      `SELECT pay_type, status, count(*)::int AS n FROM rewards WHERE trade_no = ANY($1)
        GROUP BY pay_type, status ORDER BY pay_type`,
      [[...alipayOrders, ...balanceTips]],
    );
    expect(statuses).toEqual([
      { pay_type: 0, status: 1, n: PAIRS },
      { pay_type: 1, status: 4, n: PAIRS },
    ]);
    expect((await balanceOf(author.id)) - authorBefore).toBe(PAIRS * 200 - PAIRS * 100);
    expect(await balanceOf(payer.id)).toBe(PAIRS * 100);
    const [{ reward_count }] = await h.dataSource.query<{ reward_count: number }[]>(
      'SELECT reward_count FROM articles WHERE id = $1',
      [articleId],
    );
    expect(reward_count).toBe(PAIRS);
  });
});
