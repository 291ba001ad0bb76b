import { jest } from '@jest/globals';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';

// Each registration and each checked password is an argon2 hash (~0.2 s of a core, several
// times that on a busy machine).
jest.setTimeout(180_000);

// DESIGN.md "The site's defences": registration per IP per hour; failed logins per account +
// IP and per IP, with a looser per-account backstop across all IPs. Addresses come through
// X-Forwarded-For, which the API believes from loopback (TRUST_PROXY's default outside
// production), as it does from the site.

describe('RATE_LIMIT_REGISTER', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_REGISTER: '20' });
  });
  afterAll(() => t.close());

  it('meets 30 registrations from one IP in a row with 429 after 20, and writes no row for them', async () => {
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let n = 0; n < 30; n++) {
      const response = await request(t.http)
        .post('/users/register')
        .set('X-Forwarded-For', '198.51.100.7')
        .send({ username: `flood_${n}`, password: 'a-long-password' });
      statuses.push(response.status);
      if (response.status === 429) {
        retryAfter ??= response.headers['retry-after'];
        expect(response.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
      }
    }
    expect(statuses).toEqual([...Array<number>(20).fill(201), ...Array<number>(10).fill(429)]);
    // Per hour: the wait can be most of an hour, never more.
    expect(Number(retryAfter)).toBeGreaterThan(60);
    expect(Number(retryAfter)).toBeLessThanOrEqual(3600);
    const [{ n }] = await t.dataSource.query<Array<{ n: number }>>(
      "SELECT count(*)::int AS n FROM users WHERE username LIKE 'flood\\_%'",
    );
    expect(n).toBe(20);

    // Someone else, elsewhere, still signs up.
    await request(t.http)
      .post('/users/register')
      .set('X-Forwarded-For', '198.51.100.8')
      .send({ username: 'neighbour', password: 'a-long-password' })
      .expect(201);
  });
});

describe('login limits', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_LOGIN: '10', RATE_LIMIT_LOGIN_ACCOUNT: '25' });
  });
  afterAll(() => t.close());

  const register = (username: string) =>
    request(t.http)
      .post('/users/register')
      .set('X-Forwarded-For', '192.0.2.1')
      .send({ username, password: 'the-owners-password' })
      .expect(201);
  const login = (username: string, password: string, ip: string) =>
    request(t.http).post('/users/login').set('X-Forwarded-For', ip).send({ username, password });

  it('10 wrong passwords from another IP do not stop the right one from the owner’s IP', async () => {
    await register('owner_one');
    const attacker: number[] = [];
    for (let n = 0; n < 11; n++) {
      attacker.push((await login('owner_one', `guess-${n}`, '203.0.113.50')).status);
    }
    expect(attacker).toEqual([...Array<number>(10).fill(401), 429]);

    const owner = await login('owner_one', 'the-owners-password', '198.51.100.20');
    expect(owner.status).toBe(200);
    expect(owner.body.token).toEqual(expect.any(String));
  });

  it('counts only failed attempts: an owner logging in often is never limited', async () => {
    await register('owner_two');
    for (let n = 0; n < 12; n++) {
      await login('owner_two', 'the-owners-password', '198.51.100.21').expect(200);
    }
  });

  it('limits one IP guessing across many accounts', async () => {
    const statuses: number[] = [];
    for (let n = 0; n < 11; n++) {
      statuses.push((await login(`someone_${n}`, 'guess', '203.0.113.51')).status);
    }
    expect(statuses).toEqual([...Array<number>(10).fill(401), 429]);
  });

  it('stops guessing spread over many IPs at RATE_LIMIT_LOGIN_ACCOUNT per hour', async () => {
    await register('owner_three');
    const statuses: number[] = [];
    for (let n = 0; n < 30; n++) {
      // Five guesses per address: each address stays under its own limit.
      statuses.push(
        (await login('owner_three', `guess-${n}`, `203.0.113.${100 + Math.floor(n / 5)}`)).status,
      );
    }
    expect(statuses).toEqual([...Array<number>(25).fill(401), ...Array<number>(5).fill(429)]);
  });
});
