import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('operations', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ BODY_LIMIT: '2kb', CORS_ORIGINS: 'https://www.renran.example' });
  });
  afterAll(() => t.close());

  it('reports a reachable database on /health', async () => {
    const response = await request(t.http).get('/health').expect(200);
    expect(response.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('serves the OpenAPI document at /docs', async () => {
    const response = await request(t.http).get('/docs-json').expect(200);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining(['/users/register', '/users/login', '/article/detail/{id}']),
    );
    await request(t.http).get('/docs').expect(200);
  });

  it('answers 413 past BODY_LIMIT', async () => {
    const response = await request(t.http)
      .post('/users/register')
      .send({ username: 'big_body', password: 'x'.repeat(4000) })
      .expect(413);
    expect(response.body).toEqual({
      statusCode: 413,
      message: '请求体过大',
      error: 'Payload Too Large',
    });
  });

  it('answers 413 with the same shape past BODY_LIMIT for a form-encoded body', async () => {
    const response = await request(t.http)
      .post('/payments/alipay/result')
      .type('form')
      .send({ sign: 'x'.repeat(4000) })
      .expect(413);
    expect(response.body).toEqual({
      statusCode: 413,
      message: '请求体过大',
      error: 'Payload Too Large',
    });
  });

  it('answers 400 (not 500) for malformed JSON', async () => {
    const response = await request(t.http)
      .post('/users/login')
      .set('Content-Type', 'application/json')
      .send('{"username": ')
      .expect(400);
    expect(response.body.statusCode).toBe(400);
  });

  it('gives every response a request id, keeping a sane one from the caller', async () => {
    const generated = await request(t.http).get('/health');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await request(t.http).get('/health').set('X-Request-Id', 'trace-123');
    expect(kept.headers['x-request-id']).toBe('trace-123');
  });

  it('sets security headers and no X-Powered-By', async () => {
    const response = await request(t.http).get('/health');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('sends no ETag (the JSON changes with each read; hashing it is pure cost)', async () => {
    const response = await request(t.http).get('/article/').expect(200);
    expect(response.headers.etag).toBeUndefined();
  });

  it("answers a CORS preflight with Express's methods and helmet's headers", async () => {
    const response = await request(t.http)
      .options('/users/me/payout-account')
      .set('Origin', 'https://www.renran.example')
      .set('Access-Control-Request-Method', 'PUT')
      .expect(204);
    expect(response.headers['access-control-allow-origin']).toBe('https://www.renran.example');
    expect(response.headers['access-control-allow-methods']).toBe('GET,HEAD,PUT,PATCH,POST,DELETE');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('routes with or without the trailing slash, in any case, as Express did', async () => {
    await request(t.http).get('/article').expect(200);
    await request(t.http).get('/Article/').expect(200);
  });

  it('allows only the configured CORS origins', async () => {
    const allowed = await request(t.http)
      .get('/article/')
      .set('Origin', 'https://www.renran.example');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://www.renran.example');
    const other = await request(t.http).get('/article/').set('Origin', 'https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers unknown routes with the JSON error shape', async () => {
    const response = await request(t.http).get('/no/such/route').expect(404);
    expect(response.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});
