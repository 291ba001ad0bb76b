import request from 'supertest';
import {
  castForTipping,
  createPaymentsHarness,
  TEST_APP_ID,
  TEST_SELLER_ID,
  type PaymentsHarness,
} from '../support/payments-harness.js';
import type { TestUser } from '../support/test-app.js';

// Keys, a sandbox, an API and argon2 logins: slow on two cores shared by many test runs.
const SETUP_TIMEOUT_MS = 120_000;

// An operator in development who points the API at another Alipay app (for example Alipay's
// own open-platform sandbox) and sets no ALIPAY_SELLER_ID: the local sandbox's seller id must
// not be assumed for that app, or every genuine notice is refused as seller_id_mismatch.
describe('seller check with a custom Alipay app and no ALIPAY_SELLER_ID', () => {
  let h: PaymentsHarness;
  let author: TestUser;
  let reader: TestUser;
  let staff: TestUser;
  let articleId: number;

  beforeAll(async () => {
    h = await createPaymentsHarness({ APP_ENV: 'development', ALIPAY_SELLER_ID: '' });
    ({ author, reader, staff, articleId } = await castForTipping(h, {
      author: '自定义应用的作者',
      reader: '自定义应用的读者',
      article: '开放平台沙箱里的一笔打赏',
    }));
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await h.ledgerOk(staff);
    await h.close();
  }, SETUP_TIMEOUT_MS);

  it(
    'accepts and settles a genuine notice from the gateway',
    async () => {
      expect(h.config.alipay.appId).toBe(TEST_APP_ID);
      const { body: created } = await request(h.http)
        .post('/payments/alipay/')
        .set(reader.auth)
        .send({ article_id: articleId, pay_type: 0, money: '6.60' })
        .expect(201);
      const tradeNo = created.trade_no as string;

      // The reader opens the cashier and pays; the gateway then notifies the API over HTTP.
      await fetch(created.pay_url as string);
      const paid = await fetch(`${h.sandbox.url}/cashier/${tradeNo}/pay`, {
        method: 'POST',
        redirect: 'manual',
      });
      expect(paid.status).toBe(302);

      const deadline = Date.now() + 8000;
      let order = { status: 0 };
      while (order.status !== 1 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        ({ body: order } = await request(h.http)
          .get(`/payments/rewards/${tradeNo}`)
          .set(reader.auth)
          .expect(200));
      }
      expect(order.status).toBe(1);

      const notices = await h.dataSource.query<{ outcome: string; seller_id: string }[]>(
        `SELECT outcome, payload->>'seller_id' AS seller_id
         FROM alipay_notifications WHERE out_trade_no = $1`,
        [tradeNo],
      );
      expect(notices).toEqual([{ outcome: 'settled', seller_id: TEST_SELLER_ID }]);

      const me = await request(h.http).get('/users/me').set(author.auth).expect(200);
      expect(me.body.money).toBe('6.60');
    },
    SETUP_TIMEOUT_MS,
  );
});
