import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { openTab, type Tab } from './support/browser-session.js';
import { describeWithBrowser, launchChromium } from './support/chromium.js';
import { startSystem, type RunningSystem, type SiteUser } from './support/system.js';

// The site's own defences (DESIGN.md "The site's defences"): the Origin rule on everything
// that changes state, body limits while streaming, security and caching headers, the session
// cookie over TLS, and the article page counting its reads itself. The site runs as behind a
// reverse proxy (NUXT_TRUST_PROXY=true), so X-Forwarded-Proto says whether the browser used TLS.
describeWithBrowser('site defences: cross-site requests, body limits, headers', () => {
  let system: RunningSystem;
  let browser: Browser;
  let author: SiteUser;
  let reader: SiteUser;
  let articleId: number;
  const tabs: Tab[] = [];

  beforeAll(async () => {
    system = await startSystem({ siteEnv: { NUXT_TRUST_PROXY: 'true' } });
    browser = await launchChromium();
    author = await system.createUser('守门作者');
    reader = await system.createUser('守门读者');
    articleId = await system.createArticle(author, '门与锁', '好的门锁让人安心。');
  }, 300_000);

  afterAll(async () => {
    await Promise.all(tabs.map((tab) => tab.close()));
    await browser?.close();
    await system?.close();
  });

  async function newTab(): Promise<Tab> {
    const tab = await openTab(browser);
    // Two cores shared with other suites: a page can take a while.
    tab.context.setDefaultTimeout(60_000);
    tabs.push(tab);
    return tab;
  }

  const site = (path: string, init?: RequestInit) => fetch(`${system.siteUrl}${path}`, init);
  const asReader = () => ({ cookie: `renran_token=${reader.token}` });

  describe('the Origin rule', () => {
    let attacker: Server;
    let attackerUrl: string;

    beforeAll(async () => {
      // Another site (localhost is not the same site as 127.0.0.1) with a form that posts the
      // attacker's own credentials to the site's login: login CSRF.
      attacker = createServer((_request, response) => {
        response.setHeader('content-type', 'text/html; charset=utf-8');
        response.end(`<!doctype html><form method="post" action="${system.siteUrl}/api/session/login">
          <input name="username" value="${author.username}">
          <input name="password" value="${author.password}">
          <button type="submit">领取红包</button></form>`);
      });
      await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
      attackerUrl = `http://localhost:${(attacker.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => attacker.close(() => resolve())));

    it('refuses a cross-site form POST to login: 403 JSON and no session cookie', async () => {
      const tab = await newTab();
      await tab.page.goto(`${attackerUrl}/`);
      const [answer] = await Promise.all([
        tab.page.waitForResponse(`${system.siteUrl}/api/session/login`),
        tab.page.getByRole('button', { name: '领取红包' }).click(),
      ]);
      expect(answer.status()).toBe(403);
      expect(await answer.json()).toEqual({
        statusCode: 403,
        message: '拒绝来自其他网站的请求',
        error: 'Forbidden',
      });
      const cookies = await tab.context.cookies(system.siteUrl);
      expect(cookies.find((cookie) => cookie.name === 'renran_token')).toBeUndefined();
    });

    it('lets the site’s own login form through', async () => {
      const tab = await newTab();
      await tab.page.goto(`${system.siteUrl}/login`);
      await tab.page.getByPlaceholder('用户名').fill(reader.username);
      await tab.page.getByPlaceholder('密码').fill(reader.password);
      await tab.page.locator('form').getByRole('button', { name: '登录' }).click();
      await tab.page.locator('.site-header .me-name', { hasText: '守门读者' }).waitFor();
    });

    it.each([
      ['another Origin', 403, { origin: 'http://evil.example' }],
      ['Origin null (a sandboxed frame)', 403, { origin: 'null' }],
      ['no Origin and Sec-Fetch-Site cross-site', 403, { 'sec-fetch-site': 'cross-site' }],
      ['no Origin and Sec-Fetch-Site same-site', 403, { 'sec-fetch-site': 'same-site' }],
      ['no Origin and Sec-Fetch-Site same-origin', 401, { 'sec-fetch-site': 'same-origin' }],
      ['neither header (not a browser)', 401, {}],
    ])('a POST to /api/session/login with %s answers %d', async (_name, status, headers) => {
      const response = await site('/api/session/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ username: reader.username, password: 'wrong-password' }),
      });
      expect(response.status).toBe(status);
      if (status === 403) {
        expect(((await response.json()) as { error: string }).error).toBe('Forbidden');
      }
    });

    it('compares the scheme too when the trusted proxy says the browser used TLS', async () => {
      const logout = (origin: string) =>
        site('/api/session/logout', {
          method: 'POST',
          headers: { origin, 'x-forwarded-proto': 'https' },
        });
      expect((await logout(system.siteUrl.replace('http:', 'https:'))).status).toBe(200);
      expect((await logout(system.siteUrl)).status).toBe(403);
    });

    it('guards every changing route: the API proxy, logout and register too', async () => {
      const crossSite = { origin: 'http://evil.example', 'content-type': 'application/json' };
      const attempts = await Promise.all([
        site('/api/payments/alipay/', {
          method: 'POST',
          headers: { ...crossSite, ...asReader() },
          body: JSON.stringify({ article_id: articleId, pay_type: 1, money: '1' }),
        }),
        site(`/api/article/${articleId}`, {
          method: 'PATCH',
          headers: { ...crossSite, cookie: `renran_token=${author.token}` },
          body: JSON.stringify({ name: '被改了' }),
        }),
        site('/api/session/logout', { method: 'POST', headers: { ...crossSite, ...asReader() } }),
        site('/api/session/register', {
          method: 'POST',
          headers: crossSite,
          body: JSON.stringify({ username: 'csrf_made', password: 'a-long-password' }),
        }),
      ]);
      expect(attempts.map((response) => response.status)).toEqual([403, 403, 403, 403]);
      const [{ n }] = await system.dataSource.query<Array<{ n: number }>>(
        `SELECT (SELECT count(*) FROM rewards) + (SELECT count(*) FROM users WHERE username = 'csrf_made')
           + (SELECT count(*) FROM articles WHERE name = '被改了') AS n`,
      );
      expect(Number(n)).toBe(0);
      // The same request from the site's own origin goes through.
      const own = await site('/api/session/logout', {
        method: 'POST',
        headers: { origin: system.siteUrl },
      });
      expect(own.status).toBe(200);
    });
  });

  describe('body limits', () => {
    /**
     * Sends `total` bytes in 64 kB pieces, pausing between them like a slow uplink, and stops
     * when the answer comes: how many bytes had gone out by then says whether the site waited
     * for the whole body.
     */
    function upload(
      path: string,
      total: number,
      { chunked = false, pauseMs = 10 } = {},
    ): Promise<{ status: number; body: string; sentBeforeAnswer: number; ms: number }> {
      const started = Date.now();
      return new Promise((resolve, reject) => {
        let sent = 0;
        let answered = false;
        const request = httpRequest(`${system.siteUrl}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(chunked ? {} : { 'content-length': String(total) }),
          },
        });
        request.on('response', (response) => {
          answered = true;
          const sentBeforeAnswer = sent;
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            resolve({
              status: response.statusCode ?? 0,
              body: Buffer.concat(chunks).toString(),
              sentBeforeAnswer,
              ms: Date.now() - started,
            });
            request.destroy();
          });
        });
        // The site closes the connection after refusing; a write after that may fail, and when
        // the hang-up wins the race with the 413 the client never reads the answer: status 0.
        request.on('error', (error: NodeJS.ErrnoException) => {
          if (answered) return;
          if (error.code === 'EPIPE' || error.code === 'ECONNRESET') {
            answered = true;
            resolve({ status: 0, body: '', sentBeforeAnswer: sent, ms: Date.now() - started });
          } else {
            reject(error);
          }
        });
        const piece = Buffer.alloc(64 * 1024, 0x20);
        const sendMore = () => {
          if (answered || request.destroyed) return;
          if (sent >= total) {
            request.end();
            return;
          }
          const size = Math.min(piece.length, total - sent);
          sent += size;
          // The next piece waits for this one to be taken (backpressure), then for the pause.
          request.write(size === piece.length ? piece : piece.subarray(0, size), () =>
            setTimeout(sendMore, pauseMs),
          );
        };
        sendMore();
      });
    }

    const FIVE_MB = 5 * 1024 * 1024;

    it.each([
      ['declared in Content-Length', false],
      ['chunked', true],
    ])(
      'refuses a 5 MB login body (%s) with 413 long before it is all sent',
      async (_name, chunked) => {
        const answer = await upload('/api/session/login', FIVE_MB, { chunked });
        expect(answer.status).toBe(413);
        expect(JSON.parse(answer.body)).toEqual({
          statusCode: 413,
          message: '请求体过大（上限 100 kB）',
          error: 'Payload Too Large',
        });
        // Sending it all takes over 800 ms; answered within the first half, it was not buffered.
        expect(answer.sentBeforeAnswer).toBeLessThan(FIVE_MB / 2);
      },
    );

    it('allows article routes 256 kB and refuses more', async () => {
      const article = (size: number) =>
        upload(`/api/article/${articleId}`, size, { chunked: true, pauseMs: 0 });
      const justUnder = await article(200 * 1024);
      // Not the site's refusal (the API answers it: not JSON of ours, or its own limit).
      expect(justUnder.body).not.toContain('上限 256 kB');
      const over = await article(300 * 1024);
      expect(over.status).toBe(413);
      expect(over.body).toContain('上限 256 kB');
      const elsewhere = await upload('/api/payments/alipay/', 150 * 1024, {
        chunked: true,
        pauseMs: 0,
      });
      expect(elsewhere.status).toBe(413);
      expect(elsewhere.body).toContain('上限 100 kB');
    });

    it('keeps its memory while eight 5 MB bodies arrive at once', async () => {
      const rss = () => {
        const status = readFileSync(`/proc/${system.sitePid}/status`, 'utf8');
        return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) * 1024;
      };
      await site('/');
      const before = rss();
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, n) =>
          upload(n % 2 ? '/api/article/' : '/api/session/register', FIVE_MB, {
            chunked: n % 4 < 2,
            pauseMs: 0,
          }),
        ),
      );
      const grownMb = (rss() - before) / 1024 / 1024;
      process.stdout.write(`site RSS grew ${grownMb.toFixed(1)} MB for 8 × 5 MB bodies\n`);
      // Each one refused: a 413, or the hang-up that follows it when that reached us first.
      for (const answer of answers) expect([413, 0]).toContain(answer.status);
      expect(answers.some((answer) => answer.status === 413)).toBe(true);
      // Buffering them would take 40 MB and more; refused while streaming, a few MB at most.
      expect(grownMb).toBeLessThan(16);
      // And the site still answers.
      expect((await site('/api/session/me')).status).toBe(200);
    });
  });

  describe('headers', () => {
    const sha256 = (text: string) => createHash('sha256').update(text).digest('base64');
    const inlineScripts = (html: string) =>
      [
        ...html.matchAll(
          /<script(?![^>]*\bsrc=)(?![^>]*type="application\/json")[^>]*>([\s\S]*?)<\/script>/g,
        ),
      ].map((match) => match[1] ?? '');

    function expectPageSecurity(response: Response, html: string): void {
      const policy = response.headers.get('content-security-policy') ?? '';
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).toContain("object-src 'none'");
      expect(policy).not.toContain('unsafe-eval');
      const scriptSrc = /script-src ([^;]*)/.exec(policy)?.[1] ?? '';
      expect(scriptSrc).not.toContain('unsafe-inline');
      expect(scriptSrc).not.toContain('nonce-');
      // Every inline script of the page is allowed by its hash, and only those.
      const scripts = inlineScripts(html);
      expect(scripts.length).toBeGreaterThan(0);
      for (const script of scripts) expect(scriptSrc).toContain(`'sha256-${sha256(script)}'`);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    }

    it('gives a logged-out reader’s article page the security headers and shared-cache headers, also from the page cache', async () => {
      const first = await site(`/p/${articleId}`);
      expectPageSecurity(first, await first.text());
      const copies = await Promise.all(Array.from({ length: 4 }, () => site(`/p/${articleId}`)));
      const copy = copies.find((response) => response.headers.get('x-cache') === 'HIT');
      expect(copy).toBeDefined();
      for (const response of [first, ...copies]) {
        expect(response.headers.get('cache-control')).toBe(
          'public, s-maxage=1, stale-while-revalidate=5',
        );
        expect(response.headers.get('vary')).toMatch(/\bCookie\b/i);
      }
      expectPageSecurity(copy as Response, await (copy as Response).text());
      expect(first.headers.get('strict-transport-security')).toBeNull();
    });

    it.each(['/', `/p/{article}`, '/wallet', '/write', '/login'])(
      'marks %s private, no-store for a logged-in reader',
      async (path) => {
        const response = await site(path.replace('{article}', String(articleId)), {
          headers: asReader(),
        });
        expect(response.status).toBe(200);
        expectPageSecurity(response, await response.text());
        expect(response.headers.get('cache-control')).toBe('private, no-store');
        expect(response.headers.get('vary')).toMatch(/\bCookie\b/i);
      },
    );

    it('sends nosniff and refuses framing on JSON and built assets too', async () => {
      const json = await site('/api/session/me');
      expect(json.headers.get('x-content-type-options')).toBe('nosniff');
      expect(json.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      const html = await (await site('/login')).text();
      const asset = /src="(\/_nuxt\/[^"]+\.js)"/.exec(html)?.[1];
      expect(asset).toBeDefined();
      const script = await site(asset as string);
      expect(script.status).toBe(200);
      expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    });

    it('over TLS (as the trusted proxy says): HSTS, and a Secure session cookie', async () => {
      const overTls = { 'x-forwarded-proto': 'https' };
      const page = await site('/login', { headers: overTls });
      expect(page.headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);

      const login = (headers: Record<string, string>) =>
        site('/api/session/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ username: reader.username, password: reader.password }),
        });
      const secure = await login(overTls);
      expect(secure.status).toBe(200);
      expect(secure.headers.get('set-cookie')).toMatch(/renran_token=[^;]+;.*\bSecure\b/i);
      const plain = await login({});
      expect(plain.status).toBe(200);
      expect(plain.headers.get('set-cookie')).not.toMatch(/\bSecure\b/i);
    });
  });

  describe('reads counted by the page', () => {
    const storedReads = async (): Promise<number> => {
      const [row] = await system.dataSource.query<Array<{ read_count: number }>>(
        'SELECT read_count FROM articles WHERE id = $1',
        [articleId],
      );
      return row.read_count;
    };
    /** The API writes counted reads once a second: waits for `expected`, then a little more. */
    const settledReads = async (expected: number): Promise<number> => {
      const deadline = Date.now() + 30_000;
      while ((await storedReads()) < expected && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await new Promise((resolve) => setTimeout(resolve, 1500));
      return storedReads();
    };

    it('counts each view shown in a browser once — rendered or a cached copy — and not a fetch that runs no script', async () => {
      const before = await settledReads(0);
      const fetched = await site(`/p/${articleId}`);
      expect(fetched.status).toBe(200);
      expect(await settledReads(before)).toBe(before);

      const views = await Promise.all(Array.from({ length: 4 }, () => newTab()));
      const answers = await Promise.all(
        views.map((tab) => tab.page.goto(`${system.siteUrl}/p/${articleId}`)),
      );
      for (const tab of views) await tab.page.getByRole('heading', { name: '门与锁' }).waitFor();
      expect(answers.map((answer) => answer?.status())).toEqual([200, 200, 200, 200]);
      expect((await settledReads(before + 4)) - before).toBe(4);
    });
  });

  it('ran every page above without a Content-Security-Policy violation', () => {
    const problems = tabs.flatMap((tab) => tab.problems);
    expect(problems.filter((problem) => /Content.Security.Policy/i.test(problem))).toEqual([]);
  });
});
