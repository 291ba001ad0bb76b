import jwt from 'jsonwebtoken';
import request from 'supertest';
import { UserEntity } from '../../apps/api/src/users/entities/user.entity.js';
import { UsersService } from '../../apps/api/src/users/users.service.js';
import { createTestApp, signUp, type TestApp } from '../support/test-app.js';

describe('users and authentication', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('registers, logs in and answers /users/me with both token schemes', async () => {
    const registered = await request(t.http)
      .post('/users/register')
      .send({ username: 'xiaowang', password: 'a-long-password', nickname: '小王' })
      .expect(201);
    expect(registered.body).toEqual({
      id: expect.any(Number),
      username: 'xiaowang',
      nickname: '小王',
    });

    const login = await request(t.http)
      .post('/users/login')
      .send({ username: 'xiaowang', password: 'a-long-password' })
      .expect(200);
    expect(login.body.token).toEqual(expect.any(String));
    expect(login.body.user).toMatchObject({ username: 'xiaowang', money: '0.00', is_staff: false });

    for (const scheme of ['jwt', 'Bearer']) {
      const me = await request(t.http)
        .get('/users/me')
        .set('Authorization', `${scheme} ${login.body.token}`)
        .expect(200);
      expect(me.body).toEqual({
        id: registered.body.id,
        username: 'xiaowang',
        nickname: '小王',
        avatar: null,
        money: '0.00',
        is_staff: false,
      });
    }
  });

  it('never returns the password hash', async () => {
    const user = await signUp(t);
    const me = await request(t.http).get('/users/me').set(user.auth).expect(200);
    expect(JSON.stringify(me.body)).not.toMatch(/argon2|password/i);
  });

  it('refuses a duplicate username with 409', async () => {
    const user = await signUp(t);
    const response = await request(t.http)
      .post('/users/register')
      .send({ username: user.username, password: 'another-password' })
      .expect(409);
    expect(response.body).toEqual({
      statusCode: 409,
      message: '用户名已被注册',
      error: 'Conflict',
    });
  });

  it('answers 401 for a wrong password and for an unknown user, with the same message', async () => {
    const user = await signUp(t);
    const wrong = await request(t.http)
      .post('/users/login')
      .send({ username: user.username, password: 'not-the-password' })
      .expect(401);
    const unknown = await request(t.http)
      .post('/users/login')
      .send({ username: 'nobody_here', password: 'whatever-password' })
      .expect(401);
    expect(wrong.body.message).toBe('用户名或密码错误');
    expect(unknown.body.message).toBe(wrong.body.message);
  });

  it.each([
    ['no header', undefined],
    ['garbage', 'Bearer not-a-jwt'],
    ['unknown scheme', 'Token abc'],
  ])('answers 401 with %s', async (_label, header) => {
    const call = request(t.http).get('/users/me');
    if (header) call.set('Authorization', header);
    const response = await call.expect(401);
    expect(response.body.statusCode).toBe(401);
  });

  it('answers 401 for expired, tampered, alg-none and foreign-secret tokens', async () => {
    const user = await signUp(t);
    const secret = t.config.jwtSecret;
    const expired = jwt.sign({ sub: user.id, username: user.username }, secret, {
      expiresIn: -10,
    });
    const foreign = jwt.sign({ sub: user.id, username: user.username }, 'another-secret-entirely');
    const [header, payload, signature] = user.token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const tamperedPayload = Buffer.from(JSON.stringify({ ...claims, sub: 1 })).toString(
      'base64url',
    );
    const tampered = `${header}.${tamperedPayload}.${signature}`;
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    for (const token of [expired, foreign, tampered, none]) {
      await request(t.http).get('/users/me').set('Authorization', `Bearer ${token}`).expect(401);
    }
  });

  it('answers 401 to a valid token whose user no longer exists', async () => {
    const user = await signUp(t);
    await request(t.http).get('/users/me').set(user.auth).expect(200);
    await t.dataSource.query('DELETE FROM users WHERE id = $1', [user.id]);
    await request(t.http).get('/users/me').set(user.auth).expect(401);
  });

  it("looks a token's user up with every column TypeORM would load, balance in fen", async () => {
    const user = await signUp(t, { staff: true });
    await t.dataSource.query(
      `UPDATE users SET money = 1234, mobile = '13800000000', avatar = '/a.svg', qq_number = '12345'
        WHERE id = $1`,
      [user.id],
    );
    const looked = await t.app.get(UsersService).findById(user.id);
    expect(looked).toBeInstanceOf(UserEntity);
    expect(looked).toEqual(await t.dataSource.getRepository(UserEntity).findOneBy({ id: user.id }));
    expect(looked).toMatchObject({ money: 1234, isStaff: true, qqNumber: '12345' });
    expect(await t.app.get(UsersService).findById(2_000_000_000)).toBeNull();
  });

  it.each([
    [{ username: 'ab', password: 'long-enough' }, 'username'],
    [{ username: 'has space', password: 'long-enough' }, 'username'],
    [{ username: 'valid_name', password: 'short' }, 'password'],
    [{ username: 'valid_name' }, 'password'],
    [{ username: 'valid_name', password: 'long-enough', nickname: '' }, 'nickname'],
    [{ username: 'valid_name', password: 'long-enough', is_staff: true }, 'is_staff'],
    [{ username: 12345, password: 'long-enough' }, 'username'],
  ])('rejects registration %j with a 400 naming %s', async (body, field) => {
    const response = await request(t.http).post('/users/register').send(body).expect(400);
    expect(response.body.error).toBe('Bad Request');
    expect(JSON.stringify(response.body.message)).toContain(field);
    const count = await t.dataSource.query(
      'SELECT count(*)::int AS n FROM users WHERE username = $1',
      [typeof body.username === 'string' ? body.username : ''],
    );
    expect(count[0].n).toBe(0);
  });
});

describe('login rate limit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_LOGIN: '3' });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After past RATE_LIMIT_LOGIN attempts on one account', async () => {
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await request(t.http)
        .post('/users/login')
        .send({ username: 'target_account', password: 'guess-number-' + attempt });
      statuses.push(response.status);
      retryAfter ??= response.headers['retry-after'];
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
  });

  it('limits per address too, across different accounts', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const response = await request(t.http)
        .post('/users/login')
        .set('X-Forwarded-For', '203.0.113.9')
        .send({ username: `account_${attempt}`, password: 'whatever-password' });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});

describe('staff-only routes', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answer 403 to a reader, 401 to nobody, 200 to staff', async () => {
    const reader = await signUp(t);
    const staff = await signUp(t, { staff: true });
    await request(t.http).get('/admin/ledger/verify').expect(401);
    const forbidden = await request(t.http)
      .get('/admin/ledger/verify')
      .set(reader.auth)
      .expect(403);
    expect(forbidden.body.message).toBe('仅限管理员操作');
    const verified = await request(t.http).get('/admin/ledger/verify').set(staff.auth).expect(200);
    expect(verified.body).toMatchObject({ ok: true, mismatches: [] });
  });
});
