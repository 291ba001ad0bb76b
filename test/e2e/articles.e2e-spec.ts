import request from 'supertest';
import { createTestApp, signUp, type TestApp, type TestUser } from '../support/test-app.js';

describe('articles', () => {
  let t: TestApp;
  let author: TestUser;
  let other: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    author = await signUp(t, { nickname: '作者甲' });
    other = await signUp(t, { nickname: '路人乙' });
  });
  afterAll(() => t.close());

  function publish(body: Record<string, unknown>, user = author) {
    return request(t.http).post('/article/').set(user.auth).send(body);
  }

  it('creates an article with sanitized render and a word count, and shows its detail', async () => {
    const created = await publish({
      name: '读书笔记',
      content: '# 第一章\n\n今天读了 **三** 页书。',
    }).expect(201);
    expect(created.body).toMatchObject({
      id: expect.any(Number),
      name: '读书笔记',
      is_public: true,
      word_count: 10,
      render: '<h1>第一章</h1>\n<p>今天读了 <strong>三</strong> 页书。</p>\n',
    });

    const detail = await request(t.http).get(`/article/detail/${created.body.id}/`).expect(200);
    expect(detail.body).toEqual({
      id: created.body.id,
      name: '读书笔记',
      render: created.body.render,
      word_count: 10,
      read_count: 1,
      like_count: 0,
      reward_count: 0,
      is_public: true,
      created_time: expect.any(String),
      updated_time: expect.any(String),
      user: { id: author.id, nickname: '作者甲', avatar: null, money: '0.00' },
    });
  });

  it('bumps read_count atomically under concurrent reads', async () => {
    const { body } = await publish({ name: '热门文章', content: '很多人在读。' }).expect(201);
    await Promise.all(
      Array.from({ length: 25 }, () =>
        request(t.http).get(`/article/detail/${body.id}/`).expect(200),
      ),
    );
    const detail = await request(t.http).get(`/article/detail/${body.id}`).expect(200);
    expect(detail.body.read_count).toBe(26);
  });

  it('answers 404 for missing and unpublished articles, even to their author', async () => {
    const draft = await publish({ name: '草稿', content: '还没写完', is_public: false }).expect(
      201,
    );
    for (const id of [draft.body.id, 999999]) {
      const response = await request(t.http)
        .get(`/article/detail/${id}/`)
        .set(author.auth)
        .expect(404);
      expect(response.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    }
    const [row] = await t.dataSource.query('SELECT read_count FROM articles WHERE id = $1', [
      draft.body.id,
    ]);
    expect(row.read_count).toBe(0);
  });

  it.each(['abc', '0', '-1', '1.5', '99999999999'])('answers 400 for the id %s', async (id) => {
    const response = await request(t.http).get(`/article/detail/${id}/`).expect(400);
    expect(response.body.message).toBe('id 必须是正整数');
  });

  it('lets only the author update, and re-renders the content', async () => {
    const { body } = await publish({ name: '原标题', content: '原文' }).expect(201);
    await request(t.http).patch(`/article/${body.id}`).send({ name: 'x' }).expect(401);
    const forbidden = await request(t.http)
      .patch(`/article/${body.id}`)
      .set(other.auth)
      .send({ name: '被改了' })
      .expect(403);
    expect(forbidden.body.message).toBe('只能修改自己的文章');
    const updated = await request(t.http)
      .patch(`/article/${body.id}`)
      .set(author.auth)
      .send({ name: '新标题', content: '新的 *正文*' })
      .expect(200);
    expect(updated.body).toMatchObject({ name: '新标题', render: '<p>新的 <em>正文</em></p>\n' });
    await request(t.http).patch('/article/999999').set(author.auth).send({ name: 'x' }).expect(404);
    const created = body.id as number;
    for (const refusedBody of [
      { name: null },
      { content: null },
      { is_public: null },
      { name: '' },
    ]) {
      const refused = await request(t.http)
        .patch(`/article/${created}`)
        .set(author.auth)
        .send(refusedBody);
      expect(refused.status).toBe(400);
    }
  });

  it('publishes the longest article allowed (50,000 Chinese characters, ~150 kB of JSON) and refuses a body past the article limit with 413', async () => {
    const content = '荏'.repeat(50_000);
    const created = await publish({ name: '长文', content }).expect(201);
    expect(created.body.word_count).toBe(50_000);
    // Past ARTICLE_BODY_LIMIT (256 kB) the body is refused before validation, and nothing is written.
    const before = await request(t.http).get('/article/?page_size=1').expect(200);
    await publish({ name: '太长', content: '荏'.repeat(100_000) }).expect(413);
    const after = await request(t.http).get('/article/?page_size=1').expect(200);
    expect(after.body.total).toBe(before.body.total);
  });

  it('requires a token to publish', async () => {
    await request(t.http).post('/article/').send({ name: 'x', content: 'y' }).expect(401);
  });

  it.each([
    [{ content: '正文' }, 'name'],
    [{ name: '', content: '正文' }, 'name'],
    [{ name: 'x'.repeat(201), content: '正文' }, 'name'],
    [{ name: '标题' }, 'content'],
    [{ name: '标题', content: 42 }, 'content'],
    [{ name: '标题', content: '正文', is_public: 'yes' }, 'is_public'],
    [{ name: '标题', content: '正文', read_count: 1000 }, 'read_count'],
  ])('rejects %j with a 400 naming %s and writes nothing', async (body, field) => {
    const before = await t.dataSource.query('SELECT count(*)::int AS n FROM articles');
    const response = await publish(body).expect(400);
    expect(JSON.stringify(response.body.message)).toContain(field);
    const after = await t.dataSource.query('SELECT count(*)::int AS n FROM articles');
    expect(after[0].n).toBe(before[0].n);
  });

  it.each([
    '<script>alert("x")</script>',
    '<img src=x onerror=alert(1)>',
    '[click](javascript:alert(1))',
    '<a href="javascript:alert(1)" onclick="steal()">link</a>',
    '<p onmouseover="alert(1)">hover</p>',
  ])('stores a safe render for %s', async (payload) => {
    const { body } = await publish({ name: 'XSS', content: payload }).expect(201);
    const detail = await request(t.http).get(`/article/detail/${body.id}/`).expect(200);
    // Escaped text such as "&lt;img onerror=…&gt;" is inert; no real tag may carry a script.
    expect(detail.body.render).not.toMatch(/<script/i);
    expect(detail.body.render).not.toMatch(/<[^>]*\son\w+\s*=/i);
    expect(detail.body.render).not.toMatch(/<[^>]*(href|src)\s*=\s*["']?\s*javascript:/i);
  });

  it('counts one like per reader', async () => {
    const { body } = await publish({ name: '点赞测试', content: '喜欢就点赞' }).expect(201);
    const first = await request(t.http)
      .post(`/article/${body.id}/like`)
      .set(other.auth)
      .expect(200);
    const second = await request(t.http)
      .post(`/article/${body.id}/like`)
      .set(other.auth)
      .expect(200);
    expect(first.body).toEqual({ liked: true, like_count: 1 });
    expect(second.body).toEqual({ liked: true, like_count: 1 });
    await request(t.http).post(`/article/${body.id}/like`).expect(401);
  });

  it('previews Markdown with the same sanitizer', async () => {
    const response = await request(t.http)
      .post('/article/preview')
      .set(author.auth)
      .send({ content: '**粗体**<script>x</script>' })
      .expect(200);
    expect(response.body.render).toContain('<strong>粗体</strong>');
    expect(response.body.render).not.toContain('<script>');
  });
});

describe('the public article list', () => {
  let fresh: TestApp;

  beforeAll(async () => {
    fresh = await createTestApp();
  });
  afterAll(() => fresh.close());

  it('lists public articles newest first, paginated', async () => {
    const writer = await signUp(fresh, { nickname: '写手' });
    for (let i = 1; i <= 7; i++) {
      await request(fresh.http)
        .post('/article/')
        .set(writer.auth)
        .send({ name: `第${i}篇`, content: `内容${i}`, is_public: i !== 4 })
        .expect(201);
    }
    const page1 = await request(fresh.http).get('/article/?page=1&page_size=4').expect(200);
    expect(page1.body.total).toBe(6);
    expect(page1.body.items.map((item: { name: string }) => item.name)).toEqual([
      '第7篇',
      '第6篇',
      '第5篇',
      '第3篇',
    ]);
    expect(page1.body.items[0]).toMatchObject({
      summary: '内容7',
      read_count: 0,
      user: { id: writer.id, nickname: '写手', avatar: null },
    });
    const page2 = await request(fresh.http).get('/article/?page=2&page_size=4').expect(200);
    expect(page2.body.items.map((item: { name: string }) => item.name)).toEqual(['第2篇', '第1篇']);
    await request(fresh.http).get('/article/?page=0').expect(400);
    await request(fresh.http).get('/article/?page_size=500').expect(400);
    await request(fresh.http).get('/article/?page=abc').expect(400);
  });
});
