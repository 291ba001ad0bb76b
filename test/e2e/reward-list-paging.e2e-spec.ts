import request from 'supertest';
import {
  castForTipping,
  createPaymentsHarness,
  type PaymentsHarness,
} from '../support/payments-harness.js';
import { signUp, type TestUser } from '../support/test-app.js';

// Keys, a sandbox, an API and argon2 logins: slow on two cores shared by many test runs.
const SETUP_TIMEOUT_MS = 120_000;

interface Wallet {
  next_cursor: string | null;
  given: { items: { trade_no: string }[]; total: number; total_exact: boolean };
  received: { items: { trade_no: string }[]; total: number; total_exact: boolean };
}

interface AdminPage {
  items: { trade_no: string; status: number }[];
  total: number;
  total_exact: boolean;
  next_cursor: string | null;
}

// Issue 17: the wallet, the statement and the staff's order list page by keyset `cursor`
// beside page numbers.
describe('keyset paging of the wallet, the statement and GET /admin/rewards', () => {
  let h: PaymentsHarness;
  let author: TestUser;
  let reader: TestUser;
  let staff: TestUser;
  let articleId: number;

  beforeAll(async () => {
    h = await createPaymentsHarness();
    ({ author, reader, staff, articleId } = await castForTipping(h, {
      author: '翻页的作者',
      reader: '翻页的读者',
      article: '一页一页地读',
    }));
    await h.grant(reader.id, 100_000);
    for (let i = 1; i <= 7; i++) await tip(`${i}.00`);
    // Three tips paid in the same microsecond: the order (and the cursor) falls back to the id.
    await h.dataSource.query(
      `UPDATE rewards SET paid_at = '2026-11-01T08:00:00.123456Z'
        WHERE id IN (SELECT id FROM rewards WHERE author_id = $1 ORDER BY id LIMIT 3)`,
      [author.id],
    );
    // An unpaid Alipay order: given (every status), not received, not in status=1.
    await request(h.http)
      .post('/payments/alipay/')
      .set(reader.auth)
      .send({ article_id: articleId, pay_type: 0, money: '9.00' })
      .expect(201);
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await h.ledgerOk(staff);
    await h.close();
  }, SETUP_TIMEOUT_MS);

  async function tip(money: string, payer: TestUser = reader): Promise<string> {
    const { body } = await request(h.http)
      .post('/payments/alipay/')
      .set(payer.auth)
      .send({ article_id: articleId, pay_type: 1, money })
      .expect(201);
    expect(body.status).toBe(1);
    return body.trade_no as string;
  }

  async function grant(user: TestUser): Promise<TestUser> {
    await h.grant(user.id, 1_000);
    return user;
  }

  const wallet = async (user: TestUser, query: Record<string, string | number>) =>
    (await request(h.http).get('/users/me/wallet').query(query).set(user.auth).expect(200))
      .body as Wallet;
  const adminPage = async (query: Record<string, string | number>) =>
    (await request(h.http).get('/admin/rewards').query(query).set(staff.auth).expect(200))
      .body as AdminPage;
  const tradeNos = (items: { trade_no: string }[]) => items.map((item) => item.trade_no);

  /** Every page by number, then every page by following next_cursor: the same rows. */
  async function walkBoth<T>(
    fetch: (query: Record<string, string | number>) => Promise<T & { next_cursor: string | null }>,
    rows: (page: T) => string[][],
    pages: number,
  ) {
    const byNumber: string[][] = [];
    for (let page = 1; page <= pages; page++) {
      const rowsOfPage = rows(await fetch({ page, page_size: 3 }));
      rowsOfPage.forEach((list, i) => (byNumber[i] = [...(byNumber[i] ?? []), ...list]));
    }
    const byCursor: string[][] = [];
    let answer = await fetch({ page_size: 3 });
    let requests = 1;
    for (;;) {
      rows(answer).forEach((list, i) => (byCursor[i] = [...(byCursor[i] ?? []), ...list]));
      if (answer.next_cursor === null) break;
      answer = await fetch({ page_size: 3, cursor: answer.next_cursor });
      requests++;
    }
    return { byNumber, byCursor, requests };
  }

  it(
    'walks both wallet lists by cursor to the same rows as by page number, then ends',
    async () => {
      const first = await wallet(reader, { page_size: 50 });
      expect(first.given).toMatchObject({ total: 8, total_exact: true });
      expect(first.next_cursor).toBeNull();
      const authorAll = await wallet(author, { page_size: 50 });
      expect(authorAll.received).toMatchObject({ total: 7, total_exact: true });

      for (const user of [reader, author]) {
        const all = await wallet(user, { page_size: 50 });
        const walk = await walkBoth(
          (query) => wallet(user, query),
          (page: Wallet) => [tradeNos(page.given.items), tradeNos(page.received.items)],
          3,
        );
        expect(walk.byCursor).toEqual(walk.byNumber);
        expect(walk.byCursor[0]).toEqual(tradeNos(all.given.items));
        expect(walk.byCursor[1]).toEqual(tradeNos(all.received.items));
        // 8 given tips (reader) or 7 received (author) by 3: the cursor ends with the last page.
        expect(walk.requests).toBe(3);
      }
    },
    SETUP_TIMEOUT_MS,
  );

  it(
    'keeps a cursor walk stable while new tips arrive, where page numbers shift',
    async () => {
      const first = await wallet(author, { page_size: 3 });
      const secondBefore = await wallet(author, { page_size: 3, page: 2 });
      const firstAdmin = await adminPage({ status: 1, article_id: articleId, page_size: 3 });
      const secondAdminBefore = await adminPage({
        status: 1,
        article_id: articleId,
        page_size: 3,
        page: 2,
      });

      const newest = await tip('0.50', await signUp(h, { nickname: '后来的读者' }).then(grant));

      const afterCursor = await wallet(author, { page_size: 3, cursor: first.next_cursor! });
      expect(tradeNos(afterCursor.received.items)).toEqual(tradeNos(secondBefore.received.items));
      const byNumber = await wallet(author, { page_size: 3, page: 2 });
      expect(tradeNos(byNumber.received.items)).not.toEqual(tradeNos(secondBefore.received.items));
      expect(tradeNos((await wallet(author, { page_size: 3 })).received.items)[0]).toBe(newest);

      const adminAfterCursor = await adminPage({
        status: 1,
        article_id: articleId,
        page_size: 3,
        cursor: firstAdmin.next_cursor!,
      });
      expect(tradeNos(adminAfterCursor.items)).toEqual(tradeNos(secondAdminBefore.items));
    },
    SETUP_TIMEOUT_MS,
  );

  it(
    'walks the filtered staff list by cursor to the same orders as by page number',
    async () => {
      const all = await adminPage({ status: 1, article_id: articleId, page_size: 100 });
      expect(all).toMatchObject({ total: all.items.length, total_exact: true, next_cursor: null });
      expect(all.items.every((item) => item.status === 1)).toBe(true);
      const pages = Math.ceil(all.items.length / 3);
      const walk = await walkBoth(
        (query) => adminPage({ status: 1, article_id: articleId, ...query }),
        (page: AdminPage) => [tradeNos(page.items)],
        pages,
      );
      expect(walk.byCursor).toEqual(walk.byNumber);
      expect(walk.byCursor[0]).toEqual(tradeNos(all.items));
      expect(walk.requests).toBe(pages);

      // Unfiltered: the unpaid order too, newest first.
      const everything = await adminPage({ page_size: 100 });
      expect(everything.items.some((item) => item.status === 0)).toBe(true);
      const ids = await h.dataSource.query<{ trade_no: string }[]>(
        'SELECT trade_no FROM rewards ORDER BY id DESC',
      );
      expect(tradeNos(everything.items)).toEqual(tradeNos(ids));
    },
    SETUP_TIMEOUT_MS,
  );

  it(
    'walks the statement by cursor to the same movements as by page number, newest first',
    async () => {
      interface Statement {
        items: { id: number; kind: string }[];
        total: number;
        total_exact: boolean;
        next_cursor: string | null;
      }
      const statement = async (query: Record<string, string | number>) =>
        (await request(h.http).get('/users/me/statement').query(query).set(reader.auth).expect(200))
          .body as Statement;
      const all = await statement({ page_size: 50 });
      // The grant and at least the seven balance tips of the setup.
      expect(all.items.length).toBeGreaterThanOrEqual(8);
      expect(all).toMatchObject({ total: all.items.length, total_exact: true, next_cursor: null });
      const ids = (page: Statement) => [page.items.map((item) => String(item.id))];
      const walk = await walkBoth(statement, ids, Math.ceil(all.items.length / 3));
      expect(walk.byCursor).toEqual(walk.byNumber);
      expect(walk.byCursor[0]).toEqual(all.items.map((item) => String(item.id)));
      expect(walk.requests).toBe(Math.ceil(all.items.length / 3));

      const bad = await request(h.http)
        .get('/users/me/statement')
        .query({ cursor: Buffer.from('1.2').toString('base64url') })
        .set(reader.auth)
        .expect(400);
      expect(JSON.stringify(bad.body)).toContain('cursor 无效');
    },
    SETUP_TIMEOUT_MS,
  );

  it(
    'answers 400 with a clear message for a cursor it did not make',
    async () => {
      const base64 = (text: string) => Buffer.from(text).toString('base64url');
      for (const cursor of ['not-a-cursor', base64('1'), base64('1.2.3'), base64('-1.5'), '%%']) {
        const walletAnswer = await request(h.http)
          .get('/users/me/wallet')
          .query({ cursor })
          .set(reader.auth)
          .expect(400);
        expect(JSON.stringify(walletAnswer.body)).toContain('cursor 无效');
        const adminAnswer = await request(h.http)
          .get('/admin/rewards')
          .query({ cursor: cursor === base64('1') ? base64('1.2') : cursor })
          .set(staff.auth)
          .expect(400);
        expect(JSON.stringify(adminAnswer.body)).toContain('cursor 无效');
      }
    },
    SETUP_TIMEOUT_MS,
  );
});
