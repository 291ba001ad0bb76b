import request from 'supertest';
import {
  castForTipping,
  createPaymentsHarness,
  type PaymentsHarness,
} from '../support/payments-harness.js';
import { signUp, type TestUser } from '../support/test-app.js';

interface StatementItem {
  id: number;
  time: string;
  kind: string;
  amount: string;
  balance_after: string | null;
  ref: Record<string, unknown>;
}

/**
 * Author income (DESIGN.md "Author income"): the statement and its CSV, income per day, the
 * payout account, and withdrawals up to review, on real PostgreSQL with the real sandbox.
 * The transfer itself needs certificate mode; here (public-key mode) approval answers 503.
 */
describe('author income: statement, payout account and withdrawals', () => {
  let h: PaymentsHarness;
  let author: TestUser;
  let reader: TestUser;
  let staff: TestUser;
  let articleId: number;

  const tipByBalance = async (money: string) =>
    (
      await request(h.http)
        .post('/payments/alipay/')
        .set(reader.auth)
        .send({ article_id: articleId, pay_type: 1, money })
        .expect(201)
    ).body as { trade_no: string };
  const balanceOf = async (user: TestUser) =>
    (await request(h.http).get('/users/me').set(user.auth).expect(200)).body.money as string;
  const withdraw = (user: TestUser, body: unknown, key?: string) => {
    const call = request(h.http).post('/users/me/withdrawals').set(user.auth);
    if (key) call.set('Idempotency-Key', key);
    return call.send(body as object);
  };
  const setAccount = (user: TestUser, body: Record<string, unknown>) =>
    request(h.http).put('/users/me/payout-account').set(user.auth).send(body);

  beforeAll(async () => {
    h = await createPaymentsHarness({ RATE_LIMIT_WITHDRAWALS: '1000', WITHDRAW_MIN: '1.00' });
    ({ author, reader, staff, articleId } = await castForTipping(h, {
      author: '张荏苒',
      reader: '李读者',
      article: '提现之前',
    }));
    await h.grant(reader.id, 100_00);
    await tipByBalance('30.00');
    await tipByBalance('12.50');
    const refunded = await tipByBalance('2.00');
    await request(h.http)
      .post(`/admin/rewards/${refunded.trade_no}/refund`)
      .set(staff.auth)
      .expect(200);
  });
  afterAll(() => h.close());

  describe('statement', () => {
    it('lists every movement of the author newest first, with kinds and the balance after', async () => {
      const { body } = await request(h.http)
        .get('/users/me/statement?page=1&page_size=10')
        .set(author.auth)
        .expect(200);
      expect(body.total).toBe(4);
      const items = body.items as StatementItem[];
      expect(items.map(({ kind, amount, balance_after }) => [kind, amount, balance_after])).toEqual(
        [
          ['refund_debit', '-2.00', '42.50'],
          ['tip_received', '+2.00', '44.50'],
          ['tip_received', '+12.50', '42.50'],
          ['tip_received', '+30.00', '30.00'],
        ],
      );
      expect(items[3].ref.trade_no).toMatch(/^\d{14}[0-9a-f]{20}$/);
      expect(items[0].ref.refund_id).toEqual(expect.any(Number));
      expect(items.map((item) => item.id)).toEqual(
        [...items.map((i) => i.id)].sort((a, b) => b - a),
      );
    });

    it('pages: page 2 of size 3 holds the oldest movement', async () => {
      const { body } = await request(h.http)
        .get('/users/me/statement?page=2&page_size=3')
        .set(author.auth)
        .expect(200);
      expect(body.total).toBe(4);
      expect(body.items.map((item: StatementItem) => item.amount)).toEqual(['+30.00']);
    });

    it('shows the reader the grant and the tips given by balance', async () => {
      const { body } = await request(h.http)
        .get('/users/me/statement')
        .set(reader.auth)
        .expect(200);
      expect(body.items.map((item: StatementItem) => [item.kind, item.amount])).toEqual([
        ['refund_credit', '+2.00'],
        ['tip_given', '-2.00'],
        ['tip_given', '-12.50'],
        ['tip_given', '-30.00'],
        ['grant', '+100.00'],
      ]);
    });

    it.each([
      ['page=0', 'page'],
      ['page_size=51', 'page_size'],
      ['page=abc', 'page'],
    ])('refuses %s with a 400 naming it', async (query, name) => {
      const { body } = await request(h.http)
        .get(`/users/me/statement?${query}`)
        .set(author.auth)
        .expect(400);
      expect(JSON.stringify(body.message)).toContain(name);
    });

    it('needs a login', async () => {
      await request(h.http).get('/users/me/statement').expect(401);
      await request(h.http).get('/users/me/statement.csv').expect(401);
    });

    it('downloads as CSV: UTF-8 with a BOM, an attachment, kinds in Chinese', async () => {
      const response = await request(h.http)
        .get('/users/me/statement.csv')
        .set(author.auth)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toBe('attachment; filename="statement.csv"');
      const bytes = response.body as Buffer;
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
      expect(lines[0]).toBe('编号,时间,类型,金额（元）,余额（元）,关联');
      expect(lines).toHaveLength(5);
      expect(lines[1]).toContain(',赞赏退款,-2.00,42.50,');
      expect(lines[4]).toContain(',收到赞赏,+30.00,30.00,');
    });
  });

  describe('income', () => {
    it('answers 30 Beijing-time days, oldest first, today holding the tips not refunded', async () => {
      const { body } = await request(h.http).get('/users/me/income').set(author.auth).expect(200);
      expect(body.days).toHaveLength(30);
      const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
      expect(body.days[29]).toEqual({ date: today, amount: '42.50' });
      expect(body.days.slice(0, 29).every((day: { amount: string }) => day.amount === '0.00')).toBe(
        true,
      );
      expect(body.days[0].date < body.days[1].date).toBe(true);
    });

    it('takes ?days= from 1 to 366', async () => {
      const { body } = await request(h.http)
        .get('/users/me/income?days=7')
        .set(author.auth)
        .expect(200);
      expect(body.days).toHaveLength(7);
      for (const days of ['0', '367', 'x']) {
        const refused = await request(h.http)
          .get(`/users/me/income?days=${days}`)
          .set(author.auth)
          .expect(400);
        expect(JSON.stringify(refused.body.message)).toContain('days');
      }
    });
  });

  describe('payout account', () => {
    it('is 404 until set', async () => {
      const { body } = await request(h.http)
        .get('/users/me/payout-account')
        .set(author.auth)
        .expect(404);
      expect(body.message).toBe('尚未设置提现账户');
    });

    it('a withdrawal without a payout account is a 400 saying so, nothing reserved', async () => {
      const { body } = await withdraw(author, { amount: '5.00' }).expect(400);
      expect(body.message).toContain('请先设置提现账户');
      expect(await balanceOf(author)).toBe('42.50');
    });

    it.each([
      ['a wrong password', { password: 'not-the-password' }, 403, '当前密码不正确'],
      ['no password', { password: undefined }, 400, 'password'],
      [
        'a logon id that is neither phone nor e-mail',
        { alipay_account: 'author' },
        400,
        'alipay_account',
      ],
      ['a short phone number', { alipay_account: '1380013800' }, 400, 'alipay_account'],
      ['a name with digits', { real_name: '张3' }, 400, 'real_name'],
      ['a one-character name', { real_name: '张' }, 400, 'real_name'],
      ['a name of markup', { real_name: '<b>x</b>' }, 400, 'real_name'],
    ])('refuses %s and keeps none', async (_, change, status, text) => {
      const { body } = await setAccount(author, {
        real_name: '张荏苒',
        alipay_account: 'author@example.com',
        password: author.password,
        ...change,
      }).expect(status);
      expect(JSON.stringify(body.message)).toContain(text);
      await request(h.http).get('/users/me/payout-account').set(author.auth).expect(404);
    });

    it('is set with the current password and answered masked', async () => {
      const { body } = await setAccount(author, {
        real_name: '张荏苒',
        alipay_account: 'author@example.com',
        password: author.password,
      }).expect(200);
      expect(body).toEqual({
        real_name: '张荏苒',
        alipay_account: 'a***@example.com',
        updated_time: expect.any(String),
      });
      const read = await request(h.http)
        .get('/users/me/payout-account')
        .set(author.auth)
        .expect(200);
      expect(read.body).toEqual(body);
    });

    it('masks a phone logon id', async () => {
      const someone = await signUp(h);
      const { body } = await setAccount(someone, {
        real_name: 'Li Duzhe',
        alipay_account: '13800138000',
        password: someone.password,
      }).expect(200);
      expect(body.alipay_account).toBe('138****8000');
    });
  });

  describe('withdrawals', () => {
    it.each([
      ['below WITHDRAW_MIN', { amount: '0.99' }, 400, '不能低于 1.00 元'],
      ['zero', { amount: '0' }, 400, 'amount'],
      ['negative', { amount: '-5' }, 400, 'amount'],
      ['three decimals', { amount: '5.001' }, 400, 'amount'],
      ['an exponent', { amount: '1e3' }, 400, 'amount'],
      ['text', { amount: 'all' }, 400, 'amount'],
      ['missing', {}, 400, 'amount'],
      ['above the balance', { amount: '42.51' }, 409, '余额不足'],
    ])('refuses an amount %s, reserving nothing', async (_, body, status, text) => {
      const answer = await withdraw(author, body).expect(status);
      expect(JSON.stringify(answer.body.message)).toContain(text);
      expect(await balanceOf(author)).toBe('42.50');
    });

    it('refuses a malformed Idempotency-Key', async () => {
      await withdraw(author, { amount: '1.00' }, 'not a key!').expect(400);
    });

    let first: { id: number };

    it('reserves at request: 201 pending, the balance debited, the statement shows 提现', async () => {
      const { body } = await withdraw(author, { amount: '10.00' }, 'wd-1').expect(201);
      first = body;
      expect(body).toMatchObject({
        amount: '10.00',
        status: 0,
        created_time: expect.any(String),
        payee: { real_name: '张荏苒', alipay_account: 'a***@example.com' },
      });
      expect(await balanceOf(author)).toBe('32.50');
      const statement = await request(h.http)
        .get('/users/me/statement')
        .set(author.auth)
        .expect(200);
      expect(statement.body.items[0]).toMatchObject({
        kind: 'withdrawal',
        amount: '-10.00',
        balance_after: '32.50',
        ref: { withdrawal_id: body.id },
      });
      await h.ledgerOk(staff);
    });

    it('answers a repeat with the same Idempotency-Key with the first, reserving once', async () => {
      const replay = await withdraw(author, { amount: '10.00' }, 'wd-1').expect(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body.id).toBe(first.id);
      expect(await balanceOf(author)).toBe('32.50');
      const other = await withdraw(author, { amount: '11.00' }, 'wd-1').expect(409);
      expect(other.body.message).toContain('Idempotency-Key');
    });

    it('keeps its copy of the payee when the account changes later', async () => {
      await setAccount(author, {
        real_name: '张荏苒',
        alipay_account: '13800138000',
        password: author.password,
      }).expect(200);
      const { body } = await request(h.http)
        .get('/admin/withdrawals?status=0')
        .set(staff.auth)
        .expect(200);
      expect(body.items).toEqual([
        expect.objectContaining({
          id: first.id,
          payee: { real_name: '张荏苒', alipay_account: 'author@example.com' },
        }),
      ]);
    });

    it("lists the author's own withdrawals, paged", async () => {
      const { body } = await request(h.http)
        .get('/users/me/withdrawals')
        .set(author.auth)
        .expect(200);
      expect(body).toEqual({
        items: [expect.objectContaining({ id: first.id, status: 0 })],
        total: 1,
      });
      const none = await request(h.http).get('/users/me/withdrawals').set(reader.auth).expect(200);
      expect(none.body).toEqual({ items: [], total: 0 });
    });

    it('staff routes are staff only, and check their input', async () => {
      await request(h.http).get('/admin/withdrawals').set(author.auth).expect(403);
      await request(h.http)
        .post(`/admin/withdrawals/${first.id}/reject`)
        .set(author.auth)
        .send({ reason: 'x' })
        .expect(403);
      await request(h.http).get('/admin/withdrawals?status=9').set(staff.auth).expect(400);
      await request(h.http).post('/admin/withdrawals/abc/approve').set(staff.auth).expect(400);
      await request(h.http).post('/admin/withdrawals/999999/approve').set(staff.auth).expect(404);
      await request(h.http)
        .post(`/admin/withdrawals/${first.id}/reject`)
        .set(staff.auth)
        .send({})
        .expect(400);
      await request(h.http)
        .post(`/admin/withdrawals/${first.id}/reject`)
        .set(staff.auth)
        .send({ reason: 'x'.repeat(201) })
        .expect(400);
    });

    it('reject gives the reserve back once; a second reject is a 409', async () => {
      const { body } = await request(h.http)
        .post(`/admin/withdrawals/${first.id}/reject`)
        .set(staff.auth)
        .send({ reason: '请核对真实姓名' })
        .expect(200);
      expect(body).toMatchObject({
        status: 4,
        reject_reason: '请核对真实姓名',
        reviewed_by: staff.id,
      });
      expect(await balanceOf(author)).toBe('42.50');
      await request(h.http)
        .post(`/admin/withdrawals/${first.id}/reject`)
        .set(staff.auth)
        .send({ reason: 'again' })
        .expect(409);
      expect(await balanceOf(author)).toBe('42.50');
      const statement = await request(h.http).get('/users/me/statement').set(author.auth);
      expect(statement.body.items[0]).toMatchObject({
        kind: 'withdrawal_reversal',
        amount: '+10.00',
        balance_after: '42.50',
      });
      await h.ledgerOk(staff);
    });

    interface SandboxTransfer {
      out_biz_no: string;
      status: string;
      trans_amount: string;
      payee_logon_id: string;
      payee_name: string;
    }
    const transfersOf = async (outBizNo: string) =>
      (
        await h.sandboxApi<{ transfers: SandboxTransfer[] }>('GET', '/sandbox/transfers')
      ).transfers.filter((transfer) => transfer.out_biz_no === outBizNo);
    const approve = (id: number) =>
      request(h.http).post(`/admin/withdrawals/${id}/approve`).set(staff.auth);
    const requestAndApprove = async (amount: string) => {
      const { body } = await withdraw(author, { amount }).expect(201);
      return (await approve(body.id as number).expect(200)).body;
    };

    it('a payee whose name Alipay does not match fails at once and gives the money back; reject then is a 409', async () => {
      // The account is 13800138000 now, which the sandbox knows as 李读者, not 张荏苒.
      const failed = await requestAndApprove('5.00');
      expect(failed).toMatchObject({ status: 3, reviewed_by: staff.id });
      expect(failed.failure_reason).toContain('PAYEE_USER_INFO_ERROR');
      expect(await balanceOf(author)).toBe('42.50');
      const { body } = await request(h.http)
        .post(`/admin/withdrawals/${failed.id}/reject`)
        .set(staff.auth)
        .send({ reason: '已失败' })
        .expect(409);
      expect(body.message).toBe('只有待审核的提现可以驳回');
      expect(await balanceOf(author)).toBe('42.50');
      await h.ledgerOk(staff);
    });

    it('approval pays the payee through the sandbox in the request: 2, the reserve kept', async () => {
      await setAccount(author, {
        real_name: '张荏苒',
        alipay_account: 'author@example.com',
        password: author.password,
      }).expect(200);
      const paid = await requestAndApprove('5.00');
      expect(paid).toMatchObject({ status: 2, finished_time: expect.any(String) });
      expect(paid.platform_order_id).toEqual(expect.any(String));
      expect(await balanceOf(author)).toBe('37.50');
      expect(await transfersOf(paid.out_biz_no as string)).toEqual([
        expect.objectContaining({
          status: 'SUCCESS',
          trans_amount: '5.00',
          payee_logon_id: 'author@example.com',
          payee_name: '张荏苒',
        }),
      ]);
      await approve(paid.id as number).expect(409);
      const mine = await request(h.http).get('/users/me/withdrawals').set(author.auth);
      expect(mine.body.items[0]).toMatchObject({ id: paid.id, status: 2 });
      await h.ledgerOk(staff);
    });

    it('a transfer whose answer times out stays processing; the query settles it, paid once', async () => {
      await h.sandboxApi('POST', '/sandbox/faults', {
        open_api: {
          mode: 'timeout',
          count: 1,
          apply: true,
          methods: ['alipay.fund.trans.uni.transfer'],
        },
      });
      const waiting = await requestAndApprove('3.00');
      expect(waiting.status).toBe(1);
      expect(waiting.next_check_at).toEqual(expect.any(String));
      const { body } = await request(h.http)
        .post(`/admin/withdrawals/${waiting.id}/sync`)
        .set(staff.auth)
        .expect(200);
      expect(body.status).toBe(2);
      expect(await transfersOf(waiting.out_biz_no as string)).toHaveLength(1);
      expect(await balanceOf(author)).toBe('34.50');
      await h.ledgerOk(staff);
    });

    it('SYSTEM_ERROR before Alipay made it: the query finds none, the same out_biz_no is sent once', async () => {
      await h.sandboxApi('POST', '/sandbox/faults', {
        // apply: false, or the timeout case's `apply: true` would still stand (faults are patched).
        open_api: {
          mode: 'SYSTEM_ERROR',
          count: 1,
          apply: false,
          methods: ['alipay.fund.trans.uni.transfer'],
        },
      });
      const waiting = await requestAndApprove('2.00');
      expect(waiting.status).toBe(1);
      expect(await transfersOf(waiting.out_biz_no as string)).toEqual([]);
      const { body } = await request(h.http)
        .post(`/admin/withdrawals/${waiting.id}/sync`)
        .set(staff.auth)
        .expect(200);
      expect(body.status).toBe(2);
      expect(await transfersOf(waiting.out_biz_no as string)).toHaveLength(1);
      expect(await balanceOf(author)).toBe('32.50');
      await h.ledgerOk(staff);
    });

    it('the whole balance can be withdrawn, and then nothing more', async () => {
      await withdraw(author, { amount: '32.50' }).expect(201);
      expect(await balanceOf(author)).toBe('0.00');
      const { body } = await withdraw(author, { amount: '1.00' }).expect(409);
      expect(body.message).toBe('余额不足');
      await h.ledgerOk(staff);
    });
  });
});

describe('public-key mode', () => {
  let h: PaymentsHarness;
  afterAll(() => h.close());

  it('takes requests, but approval answers 503 提现需要公钥证书模式 and changes nothing', async () => {
    h = await createPaymentsHarness({}, { keyMode: 'publicKey' });
    const author = await signUp(h);
    const staff = await signUp(h, { staff: true });
    await h.grant(author.id, 10_00);
    await request(h.http)
      .put('/users/me/payout-account')
      .set(author.auth)
      .send({
        real_name: '张荏苒',
        alipay_account: 'author@example.com',
        password: author.password,
      })
      .expect(200);
    const { body: created } = await request(h.http)
      .post('/users/me/withdrawals')
      .set(author.auth)
      .send({ amount: '4.00' })
      .expect(201);
    const { body } = await request(h.http)
      .post(`/admin/withdrawals/${created.id}/approve`)
      .set(staff.auth)
      .expect(503);
    expect(body.message).toBe('提现需要公钥证书模式');
    const queue = await request(h.http).get('/admin/withdrawals?status=0').set(staff.auth);
    expect(queue.body.items).toEqual([expect.objectContaining({ id: created.id, status: 0 })]);
    await h.ledgerOk(staff);
  });
});

describe('RATE_LIMIT_WITHDRAWALS and WITHDRAW_AUTO_MAX', () => {
  let h: PaymentsHarness;
  afterAll(() => h.close());

  it('pays small requests at once; answers 429 with Retry-After past the per-user budget', async () => {
    h = await createPaymentsHarness({ RATE_LIMIT_WITHDRAWALS: '2', WITHDRAW_AUTO_MAX: '1.00' });
    const author = await signUp(h);
    await h.grant(author.id, 100_00);
    await request(h.http)
      .put('/users/me/payout-account')
      .set(author.auth)
      .send({
        real_name: '张荏苒',
        alipay_account: 'author@example.com',
        password: author.password,
      })
      .expect(200);
    // Up to WITHDRAW_AUTO_MAX: no review, paid inside the request.
    const small = await request(h.http)
      .post('/users/me/withdrawals')
      .set(author.auth)
      .send({ amount: 1 })
      .expect(201);
    expect(small.body.status).toBe(2);
    const larger = await request(h.http)
      .post('/users/me/withdrawals')
      .set(author.auth)
      .send({ amount: '1.01' })
      .expect(201);
    expect(larger.body.status).toBe(0);
    const refused = await request(h.http)
      .post('/users/me/withdrawals')
      .set(author.auth)
      .send({ amount: 1 })
      .expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await request(h.http).get('/users/me').set(author.auth)).body.money).toBe('97.99');
  });
});
