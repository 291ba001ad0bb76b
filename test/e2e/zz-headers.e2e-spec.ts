import request from 'supertest';
import { writeFileSync } from 'node:fs';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('headers capture (temporary)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: 'http://localhost:3000' });
  });
  afterAll(() => t.close());
  it('prints', async () => {
    const out: Record<string, unknown> = {};
    for (const [name, req] of [
      ['health', request(t.http).get('/health')],
      ['detail404', request(t.http).get('/article/detail/999999').set('Origin', 'http://localhost:3000')],
      ['nf', request(t.http).get('/nope')],
      ['big', request(t.http).post('/users/login').send({ username: 'x'.repeat(200_000), password: 'y' })],
      ['bigArticle', request(t.http).post('/article').send({ title: 'x'.repeat(200_000) })],
      ['badjson', request(t.http).post('/users/login').set('Content-Type', 'application/json').send('{bad')],
      ['emptyjson', request(t.http).post('/users/login').set('Content-Type', 'application/json')],
      ['text', request(t.http).post('/users/login').set('Content-Type', 'text/plain').send('hello')],
      ['preflight', request(t.http).options('/users/login').set('Origin', 'http://localhost:3000').set('Access-Control-Request-Method', 'POST')],
      ['docs', request(t.http).get('/docs')],
      ['docsjson', request(t.http).get('/docs-json')],
    ] as const) {
      const r = await req;
      const h = { ...r.headers };
      delete h.date; delete h['x-request-id'];
      out[name] = { status: r.status, headers: h, body: r.type === 'application/json' ? r.body : String(r.text).slice(0, 80) };
    }
    writeFileSync(process.env.HEADERS_OUT ?? '/tmp/fastify-bench/headers.json', JSON.stringify(out, null, 2));
  });
});
