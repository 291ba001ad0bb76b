import request from 'supertest';
import {
  castForTipping,
  createPaymentsHarness,
  type PaymentsHarness,
} from '../support/payments-harness.js';
import { signUp, type TestUser } from '../support/test-app.js';

// Keys, a sandbox, an API and argon2 logins: slow on two cores shared by many test runs.
const SETUP_TIMEOUT_MS = 120_000;

interface Supporter {
  nickname: string;
  avatar: string | null;
  time: string;
  money?: string;
  message?: string | null;
  is_me?: boolean;
}

// DESIGN.md "Anonymous means anonymous": an anonymous tip is never tied to its payer, not even
// when the same payer also tipped by name.
describe('GET /article/:id/rewards keeps anonymous tips anonymous', () => {
  let h: PaymentsHarness;
  let author: TestUser;
  let reader: TestUser;
  let stranger: TestUser;
  let staff: TestUser;
  let articleId: number;

  beforeAll(async () => {
    h = await createPaymentsHarness();
    ({ author, reader, staff, articleId } = await castForTipping(h, {
      author: '写字的人',
      reader: '实名又匿名的读者',
      article: '匿名的意思',
    }));
    stranger = await signUp(h, { nickname: '路人' });
    await h.grant(reader.id, 10_000);
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await h.ledgerOk(staff);
    await h.close();
  }, SETUP_TIMEOUT_MS);

  async function tip(money: string, anonymous: boolean, message: string) {
    const { body } = await request(h.http)
      .post('/payments/alipay/')
      .set(reader.auth)
      .send({ article_id: articleId, pay_type: 1, money, anonymous, message })
      .expect(201);
    expect(body.status).toBe(1);
    const order = await request(h.http)
      .get(`/payments/rewards/${body.trade_no as string}`)
      .set(reader.auth)
      .expect(200);
    return order.body as { paid_time: string };
  }

  async function supporters(viewer?: TestUser) {
    const call = request(h.http).get(`/article/${articleId}/rewards`);
    if (viewer) void call.set(viewer.auth);
    const { body } = await call.expect(200);
    return body as { count: number; supporters: Supporter[] };
  }

  it(
    'shows a named and an anonymous tip by one reader as two supporters, the name with its own tip only',
    async () => {
      const named = await tip('3.00', false, '署名的留言');
      // paid_at has millisecond precision: make sure the anonymous tip is the later one.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const anonymous = await tip('5.00', true, '匿名的留言');

      const seen = await supporters(stranger);
      expect(seen.count).toBe(2);
      expect(seen.supporters).toEqual([
        { nickname: '匿名读者', avatar: null, time: anonymous.paid_time },
        { nickname: '实名又匿名的读者', avatar: null, time: named.paid_time },
      ]);

      // The author sees every amount and message, each on its own row: nothing of the anonymous
      // tip is shown under the reader's name.
      const forAuthor = await supporters(author);
      expect(forAuthor.supporters).toEqual([
        expect.objectContaining({ nickname: '匿名读者', money: '5.00', message: '匿名的留言' }),
        expect.objectContaining({
          nickname: '实名又匿名的读者',
          money: '3.00',
          message: '署名的留言',
          time: named.paid_time,
        }),
      ]);

      // Logged out, the same two supporters.
      expect((await supporters()).count).toBe(2);
    },
    SETUP_TIMEOUT_MS,
  );

  it(
    'counts every anonymous tip as a supporter of its own, and a named payer once',
    async () => {
      await tip('1.00', true, '又一笔匿名');
      await tip('2.00', false, '又一笔署名');

      const seen = await supporters(stranger);
      // One named payer (two named tips) + two anonymous tips, newest first.
      expect(seen.count).toBe(3);
      expect(seen.supporters.map((supporter) => supporter.nickname)).toEqual([
        '实名又匿名的读者',
        '匿名读者',
        '匿名读者',
      ]);

      const forReader = await supporters(reader);
      const named = forReader.supporters.find((row) => row.nickname === '实名又匿名的读者');
      expect(named).toMatchObject({ money: '5.00', message: '又一笔署名', is_me: true });
    },
    SETUP_TIMEOUT_MS,
  );

  it(
    'answers the supporters a page at a time: page / page_size, or next_cursor to the end',
    async () => {
      await tip('1.50', true, '第三笔匿名');
      await tip('2.50', true, '第四笔匿名');
      const page = async (query: string) =>
        (await request(h.http).get(`/article/${articleId}/rewards?${query}`).expect(200)).body as {
          count: number;
          supporters: Supporter[];
          next_cursor: string | null;
        };

      const all = await page('page_size=50');
      expect(all.count).toBe(5);
      expect(all.supporters).toHaveLength(5);
      expect(all.next_cursor).toBeNull();

      const walked: Supporter[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const next = await page(`page_size=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(next.count).toBe(5);
        walked.push(...next.supporters);
        cursor = next.next_cursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect(walked).toEqual(all.supporters);
      expect((await page('page=2&page_size=2')).supporters).toEqual(all.supporters.slice(2, 4));

      const bad = await request(h.http).get(
        `/article/${articleId}/rewards?cursor=bm90LWEtY3Vyc29y`,
      );
      expect(bad.status).toBe(400);
      expect(bad.body.message).toContain('cursor');
    },
    SETUP_TIMEOUT_MS,
  );
});
