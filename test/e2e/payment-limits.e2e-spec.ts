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

  it('documents an answer for every operation: a 2xx with a schema (or 204), the jwt scheme, 401 with it', async () => {
    const { body } = await request(t.http).get('/docs-json').expect(200);
    const document = body as OpenApiDocument;
    const undocumented: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const name = `${method.toUpperCase()} ${path}`;
        const success = Object.entries(operation.responses).filter(([status]) => /^2/.test(status));
        const described = success.some(
          ([status, answer]) =>
            status === '204' ||
            Object.values(answer.content ?? {}).some((media) => media.schema !== undefined),
        );
        if (!described) undocumented.push(`${name}: no 2xx response with a schema`);
        const security = operation.security ?? [];
        const schemes = security.flatMap((requirement) => Object.keys(requirement));
        if (schemes.some((scheme) => scheme !== 'jwt')) {
          undocumented.push(`${name}: security ${schemes.join(', ')} instead of jwt`);
        }
        // `{}` beside jwt: the token is optional (OptionalAuth), so no 401 is promised.
        const tokenRequired =
          schemes.includes('jwt') &&
          !security.some((requirement) => Object.keys(requirement).length === 0);
        if (tokenRequired && !('401' in operation.responses)) {
          undocumented.push(`${name}: jwt without its 401`);
        }
      }
    }
    expect(undocumented).toEqual([]);
    expect(
      document.paths['/users/me/statement.csv'].get.responses['200'].content?.['text/csv']?.schema,
    ).toEqual({ type: 'string' });
  });
});

interface OpenApiOperation {
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  security?: Record<string, string[]>[];
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}
