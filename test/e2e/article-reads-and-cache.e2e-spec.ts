import pg from 'pg';
import request from 'supertest';
import { PUBLIC_CACHE_TTL_MS } from '../../apps/api/src/articles/public-article-cache.js';
import { ReadCountsService } from '../../apps/api/src/articles/read-counts.service.js';
import {
  castForTipping,
  createPaymentsHarness,
  type PaymentsHarness,
} from '../support/payments-harness.js';
import { createTestApp, publishArticle, signUp } from '../support/test-app.js';

// Article reads are counted in memory and written once a second, and what every reader of an
// article sees alike is reused for up to PUBLIC_CACHE_TTL_MS (docs/BENCHMARKS.md says why).
// These are the promises that makes to readers, checked against a real PostgreSQL.
describe('article read counts and the public article cache', () => {
  let h: PaymentsHarness;

  beforeAll(async () => {
    h = await createPaymentsHarness();
  });
  afterAll(() => h.close());

  const detail = (id: number) => request(h.http).get(`/article/detail/${id}/`).expect(200);
  const storedReads = async (id: number): Promise<number> => {
    const [row] = await h.dataSource.query('SELECT read_count FROM articles WHERE id = $1', [id]);
    return (row as { read_count: number }).read_count;
  };
  const writeCounts = () => h.app.get(ReadCountsService).flush();

  async function publish(name: string): Promise<{ id: number; auth: Record<string, string> }> {
    const author = await signUp(h);
    return { id: await publishArticle(h, author, name), auth: author.auth };
  }

  it('counts every read once, and no reader sees the count go down when it is written', async () => {
    const { id } = await publish('热门');
    const answers = await Promise.all(Array.from({ length: 25 }, () => detail(id)));
    // Each concurrent read answered its own count: 1..25, none twice.
    expect(answers.map((a) => a.body.read_count as number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 25 }, (_, i) => i + 1),
    );

    await writeCounts(); // (the once-a-second timer may have written some already)
    expect(await storedReads(id)).toBe(25);
    expect((await detail(id)).body.read_count).toBe(26);
    await writeCounts();
    expect((await detail(id)).body.read_count).toBe(27);
    // Once the cached row has expired and is read again from the table, still in step.
    await new Promise((resolve) => setTimeout(resolve, PUBLIC_CACHE_TTL_MS + 100));
    expect((await detail(id)).body.read_count).toBe(28);
    await writeCounts();
    expect(await storedReads(id)).toBe(28);
  });

  it('counts a read the site served from its page cache (POST /article/:id/read)', async () => {
    const { id } = await publish('被缓存的页面');
    await detail(id);
    await request(h.http).post(`/article/${id}/read`).expect(204);
    await request(h.http).post(`/article/${id}/read`).expect(204);
    expect((await detail(id)).body.read_count).toBe(4);
    await request(h.http).post('/article/999999/read').expect(404);
    await request(h.http).post('/article/abc/read').expect(400);
    await writeCounts();
    expect(await storedReads(id)).toBe(4);
  });

  it("does not count a read fetched with ?count=0 (the site's page counts itself with a beacon)", async () => {
    const { id } = await publish('自己计数的页面');
    await detail(id);
    const uncounted = await request(h.http).get(`/article/detail/${id}/?count=0`).expect(200);
    // It still shows the reads counted so far, written or not.
    expect(uncounted.body.read_count).toBe(1);
    await request(h.http).post(`/article/${id}/read`).expect(204);
    await request(h.http).get(`/article/detail/${id}/?count=0`).expect(200);
    await writeCounts();
    expect(await storedReads(id)).toBe(2);
    await request(h.http).get('/article/detail/999999/?count=0').expect(404);
  });

  it('keeps the counts when a write fails and writes them with the next one', async () => {
    const { id } = await publish('写入失败');
    await detail(id);
    await detail(id);
    // A real failure: the table is briefly not there.
    await h.dataSource.query('ALTER TABLE articles RENAME TO articles_away');
    try {
      await writeCounts();
    } finally {
      await h.dataSource.query('ALTER TABLE articles_away RENAME TO articles');
    }
    expect((await detail(id)).body.read_count).toBe(3);
    await writeCounts();
    expect(await storedReads(id)).toBe(3);
  });

  it("shows this instance's edit, like and tip on the very next read", async () => {
    const cast = await castForTipping(h, { author: '作者', reader: '读者', article: '旧标题' });
    await h.grant(cast.reader.id, 10_000);
    const id = cast.articleId;
    const supporters = () => request(h.http).get(`/article/${id}/rewards`).expect(200);
    expect((await detail(id)).body).toMatchObject({ name: '旧标题', like_count: 0 });
    expect((await supporters()).body.count).toBe(0);

    await request(h.http)
      .patch(`/article/${id}`)
      .set(cast.author.auth)
      .send({ name: '新标题' })
      .expect(200);
    expect((await detail(id)).body.name).toBe('新标题');

    await request(h.http).post(`/article/${id}/like`).set(cast.reader.auth).expect(200);
    expect((await detail(id)).body.like_count).toBe(1);

    await request(h.http)
      .post('/payments/alipay/')
      .set(cast.reader.auth)
      .send({ article_id: id, money: '3.00', pay_type: 1 })
      .expect(201);
    expect((await detail(id)).body).toMatchObject({
      reward_count: 1,
      user: { money: '3.00' },
    });
    expect((await supporters()).body).toMatchObject({
      count: 1,
      supporters: [{ nickname: '读者' }],
    });
    const list = await request(h.http).get('/article/').expect(200);
    expect(list.body.items.find((item: { id: number }) => item.id === id)).toMatchObject({
      name: '新标题',
      reward_count: 1,
    });

    await request(h.http)
      .patch(`/article/${id}`)
      .set(cast.author.auth)
      .send({ is_public: false })
      .expect(200);
    await request(h.http).get(`/article/detail/${id}/`).expect(404);
    await request(h.http).get(`/article/${id}/rewards`).expect(404);
  });

  it("shows the author's new 总资产 on all their articles once a tip to one of them settles", async () => {
    const cast = await castForTipping(h, {
      author: '两篇作者',
      reader: '读者乙',
      article: '第一篇',
    });
    await h.grant(cast.reader.id, 10_000);
    const second = await publishArticle(h, cast.author, '第二篇');
    expect((await detail(second)).body.user.money).toBe('0.00');

    await request(h.http)
      .post('/payments/alipay/')
      .set(cast.reader.auth)
      .send({ article_id: cast.articleId, money: '2.50', pay_type: 1 })
      .expect(201);
    expect((await detail(second)).body.user.money).toBe('2.50');
  });

  it('shows a change made through another API instance within PUBLIC_CACHE_TTL_MS', async () => {
    const { id } = await publish('原来的标题');
    expect((await detail(id)).body.name).toBe('原来的标题');
    // What another instance's edit does to the table; this instance did not see it happen.
    await h.dataSource.query("UPDATE articles SET name = '别处改的标题' WHERE id = $1", [id]);
    const changedAt = Date.now();
    let name: string;
    do {
      name = (await detail(id)).body.name as string;
    } while (name !== '别处改的标题' && Date.now() - changedAt < PUBLIC_CACHE_TTL_MS + 3000);
    expect(name).toBe('别处改的标题');
    // Within the cache's second, give or take a slow request on a busy machine.
    expect(Date.now() - changedAt).toBeLessThan(PUBLIC_CACHE_TTL_MS + 3000);
  });

  it('answers 404 for an article that was missing a moment ago once it is published', async () => {
    const author = await signUp(h);
    const [{ next }] = await h.dataSource.query<Array<{ next: string }>>(
      "SELECT last_value + 1 AS next FROM pg_sequences WHERE sequencename = 'articles_id_seq'",
    );
    await request(h.http).get(`/article/detail/${next}/`).expect(404);
    const id = await publishArticle(h, author, '刚发布');
    expect(id).toBe(Number(next));
    expect((await detail(id)).body.name).toBe('刚发布');
  });
});

describe('read counts at shutdown', () => {
  it('writes the reads counted in memory when the API stops', async () => {
    const t = await createTestApp();
    try {
      const author = await signUp(t);
      const id = await publishArticle(t, author, '最后几次阅读');
      for (let i = 0; i < 3; i++) await request(t.http).get(`/article/detail/${id}/`);
      await t.app.close();
      const client = new pg.Client({ connectionString: t.db.url });
      await client.connect();
      try {
        const { rows } = await client.query('SELECT read_count FROM articles WHERE id = $1', [id]);
        expect(rows[0].read_count).toBe(3);
      } finally {
        await client.end();
      }
    } finally {
      await t.db.drop();
    }
  });
});
