import { readFileSync } from 'node:fs';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('GET /payments/limits and the committed OpenAPI document', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ REWARD_MAX: '500.5', WITHDRAW_MIN: '2.5' });
  });
  afterAll(() => t.close());

  it('tells anyone the amount rules and channels from the configuration', async () => {
    const response = await request(t.http).get('/payments/limits').expect(200);
    expect(response.body).toEqual({
      reward_min: '0.01',
      reward_max: '500.50',
      withdraw_min: '2.50',
      channels: ['page', 'wap', 'qr'],
      timeout_minutes: 15,
    });
    expect(response.headers['cache-control']).toBe('public, max-age=300');
  });

  it('serves at /docs-json exactly the document `npm run openapi` wrote without a database', async () => {
    const served = await request(t.http).get('/docs-json').expect(200);
    const committed: unknown = JSON.parse(
      readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'),
    );
    expect(served.body).toEqual(committed);
  });
});
