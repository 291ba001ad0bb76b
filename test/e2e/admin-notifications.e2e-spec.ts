import request from 'supertest';
import {
  castForTipping,
  createPaymentsHarness,
  type PaymentsHarness,
} from '../support/payments-harness.js';
import type { TestUser } from '../support/test-app.js';

interface NotificationView {
  notify_id: string;
  trade_no: string | null;
  trade_status: string | null;
  outcome: string;
  deliveries: number;
  delivered_at: string[];
  first_seen: string;
  last_seen: string;
  payload: Record<string, string>;
}

describe('GET /admin/notifications: the Alipay notification log', () => {
  let h: PaymentsHarness;
  let reader: TestUser;
  let staff: TestUser;
  let articleId: number;

  beforeAll(async () => {
    h = await createPaymentsHarness();
    ({ reader, staff, articleId } = await castForTipping(h, {
      author: '作者',
      reader: '读者',
      article: '通知日志',
    }));
  });
  afterAll(async () => {
    await h.ledgerOk(staff);
    await h.close();
  });

  async function newOrder(money: string): Promise<string> {
    const { body } = await request(h.http)
      .post('/payments/alipay/')
      .set(reader.auth)
      .send({ article_id: articleId, pay_type: 0, money })
      .expect(201);
    return body.trade_no as string;
  }

  const deliver = (form: Record<string, string>) =>
    request(h.http)
      .post('/payments/alipay/result/')
      .type('form')
      .send(form)
      .expect(200)
      .expect('success');

  const list = (query: Record<string, string | number>, user = staff) =>
    request(h.http).get('/admin/notifications').query(query).set(user.auth);

  it('shows a notice delivered three times once, with its three delivery times', async () => {
    const tradeNo = await newOrder('5.00');
    const notice = h.signedNotice({ out_trade_no: tradeNo, total_amount: '5.00' });
    for (let i = 0; i < 3; i += 1) {
      await deliver(notice);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const { body } = await list({ trade_no: tradeNo }).expect(200);
    expect(body.total).toBe(1);
    const [item] = body.items as NotificationView[];
    expect(item).toMatchObject({
      notify_id: notice.notify_id,
      trade_no: tradeNo,
      trade_status: 'TRADE_SUCCESS',
      outcome: 'settled',
      deliveries: 3,
    });
    expect(item.payload).toMatchObject({ out_trade_no: tradeNo, total_amount: '5.00' });
    expect(item.delivered_at).toHaveLength(3);
    const times = item.delivered_at.map((time) => Date.parse(time));
    expect(times.every((time) => Number.isFinite(time))).toBe(true);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(new Set(times).size).toBe(3);
    expect(item.first_seen).toBe(item.delivered_at[0]);
    expect(item.last_seen).toBe(item.delivered_at[2]);
  });

  it('filters by trade_no and outcome, newest first, paged', async () => {
    const tradeNo = await newOrder('6.00');
    const paid = h.signedNotice({ out_trade_no: tradeNo, total_amount: '6.00' });
    const wrongAmount = h.signedNotice({ out_trade_no: tradeNo, total_amount: '0.01' });
    const unknown = h.signedNotice({ out_trade_no: 'NOSUCHORDER', total_amount: '1.00' });
    await deliver(wrongAmount);
    await deliver(paid);
    await deliver(unknown);

    const byOrder = await list({ trade_no: tradeNo }).expect(200);
    expect(byOrder.body.total).toBe(2);
    expect(byOrder.body.items.map((item: NotificationView) => item.notify_id)).toEqual([
      paid.notify_id,
      wrongAmount.notify_id,
    ]);

    const mismatched = await list({ outcome: 'amount_mismatch' }).expect(200);
    expect(mismatched.body).toMatchObject({
      total: 1,
      items: [{ notify_id: wrongAmount.notify_id, trade_no: tradeNo, deliveries: 1 }],
    });

    const both = await list({ trade_no: 'NOSUCHORDER', outcome: 'unknown_order' }).expect(200);
    expect(both.body.items.map((item: NotificationView) => item.notify_id)).toEqual([
      unknown.notify_id,
    ]);
    const none = await list({ trade_no: tradeNo, outcome: 'unknown_order' }).expect(200);
    expect(none.body).toEqual({ items: [], total: 0 });

    // Every notice of this file so far: 1 + 3, newest first.
    const all = await list({ page_size: 2 }).expect(200);
    expect(all.body.total).toBe(4);
    expect(all.body.items.map((item: NotificationView) => item.notify_id)).toEqual([
      unknown.notify_id,
      paid.notify_id,
    ]);
    const second = await list({ page: 2, page_size: 2 }).expect(200);
    expect(second.body.items.map((item: NotificationView) => item.notify_id)).toEqual([
      wrongAmount.notify_id,
      expect.any(String),
    ]);
  });

  it('is for staff only', async () => {
    await list({}, reader).expect(403);
    await request(h.http).get('/admin/notifications').expect(401);
  });

  it.each([
    ['page 0', { page: 0 }, 'page'],
    ['a page that is not a number', { page: 'x' }, 'page'],
    ['page_size over 100', { page_size: 101 }, 'page_size'],
    ['a trade_no that cannot be ours', { trade_no: "x' OR 1=1" }, 'trade_no'],
    ['an outcome that cannot be one', { outcome: 'Settled!' }, 'outcome'],
    ['an unknown parameter', { status: 1 }, 'status'],
  ])('answers 400 to %s', async (_what, query, field) => {
    const { body } = await list(query).expect(400);
    expect(JSON.stringify(body.message)).toContain(field);
  });
});
