#!/usr/bin/env node
// The baseline of order creation in `npm run bench`: what `POST /payments/alipay/` does, with
// no framework. A bare node:http server that verifies the same HS256 JWT (node:crypto), runs
// the statements the API runs for a page-pay order through `pg` on the same database — the
// user behind the token, the shared rate-limit upsert (rate-limiter-flexible's own
// statement), the INSERT … RETURNING — keeps the article in memory as the API's public cache
// does, and signs the same page-pay parameters with node:crypto (RSA2, as alipay-sdk
// does), answering the same JSON. So the ratio measures what NestJS, TypeORM, passport,
// alipay-sdk and the middleware cost.
// Usage: node scripts/bench/raw-order.mjs <port>; the rest from the environment (RAW_*).
import { createHmac, createPrivateKey, randomBytes, sign, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import pg from 'pg';

const port = Number(process.argv[2]);
const env = process.env;
const secret = Buffer.from(env.RAW_JWT_SECRET, 'utf8');
const privateKey = createPrivateKey(readFileSync(env.RAW_APP_PRIVATE_KEY_PATH, 'utf8'));
const pool = new pg.Pool({ connectionString: env.RAW_DATABASE_URL, max: 20 });
const ordersPerMinute = Number(env.RAW_RATE_LIMIT_ORDERS);
const timeoutMinutes = Number(env.RAW_REWARD_TIMEOUT_MINUTES ?? 15);

// The API's own statements, text for text, and like the API's named (prepared once per
// connection): the user behind the token (UsersService.findById), rate-limiter-flexible's
// upsert, the order's INSERT (RewardsService).
const selectUser = {
  name: 'users_by_id',
  text: `SELECT id, username, nickname, avatar, mobile, wechat, alipay, qq_number AS "qqNumber",
                money, is_staff AS "isStaff", created_time AS "createdTime",
                updated_time AS "updatedTime"
           FROM users WHERE id = $1`,
};
const upsertLimit = {
  name: 'rate_limits:rlflx-upsert',
  text: `
            INSERT INTO "rate_limits" VALUES ($1, $2, $3)
              ON CONFLICT(key) DO UPDATE SET
                points = CASE
                          WHEN ("rate_limits".expire <= $4 OR 1=0) THEN $2
                          ELSE "rate_limits".points + ($2)
                         END,
                expire =  CASE
             WHEN "rate_limits".expire <= $4 THEN $3
             ELSE "rate_limits".expire
            END 
            RETURNING points, expire;`,
};
const insertOrder = {
  name: 'rewards_insert_order',
  text: `INSERT INTO rewards (trade_no, user_id, article_id, author_id, money, message, anonymous,
                          pay_type, channel, qr_code, status, time_expire, next_check_at,
                          idempotency_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         RETURNING id, created_time AS "createdTime"`,
};

function verifyJwt(token) {
  const [header, payload, signature] = token.split('.');
  if (!signature) return null;
  const { alg } = JSON.parse(Buffer.from(header, 'base64url'));
  if (alg !== 'HS256') return null;
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const claims = JSON.parse(Buffer.from(payload, 'base64url'));
  if (claims.exp && claims.exp * 1000 <= Date.now()) return null;
  return claims;
}

const beijing = (date) =>
  new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
// The API's rewardSubject: 打赏文章《title》, at most 256 characters, no / = &.
function subject(name) {
  const clean = name.replace(/[/=&]/g, ' ').replace(/\s+/g, ' ').trim();
  const room = 256 - 6;
  return `打赏文章《${[...clean].length > room ? `${[...clean].slice(0, room - 1).join('')}…` : clean}》`;
}
const yuan = (fen) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

function pagePayUrl(order) {
  const params = {
    app_id: env.RAW_ALIPAY_APP_ID,
    // alipay-sdk names itself in every request it signs.
    ...(env.RAW_ALIPAY_SDK ? { alipay_sdk: env.RAW_ALIPAY_SDK } : {}),
    method: 'alipay.trade.page.pay',
    format: 'JSON',
    charset: 'utf-8',
    sign_type: 'RSA2',
    timestamp: beijing(new Date()),
    version: '1.0',
    notify_url: env.RAW_NOTIFY_URL,
    return_url: env.RAW_RETURN_URL,
    biz_content: JSON.stringify({
      out_trade_no: order.tradeNo,
      total_amount: yuan(order.money),
      subject: subject(order.articleName),
      product_code: 'FAST_INSTANT_TRADE_PAY',
      time_expire: beijing(order.timeExpire),
    }),
  };
  const content = Object.keys(params)
    .sort()
    .map((name) => `${name}=${params[name]}`)
    .join('&');
  params.sign = sign('RSA-SHA256', Buffer.from(content), privateKey).toString('base64');
  return `${env.RAW_GATEWAY}?${new URLSearchParams(params)}`;
}

// As the API's public article cache: the article read at most once a second.
const articles = new Map();
async function article(id) {
  const kept = articles.get(id);
  if (kept && kept.until > Date.now()) return kept.row;
  const { rows } = await pool.query(
    'SELECT id, name, user_id FROM articles WHERE id = $1 AND is_public = true',
    [id],
  );
  if (rows[0]) articles.set(id, { row: rows[0], until: Date.now() + 1000 });
  return rows[0];
}

function answer(response, status, body) {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

async function createOrder(request, body) {
  const token = /^(?:Bearer|jwt) (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  const claims = token && verifyJwt(token);
  if (!claims) return [401, { message: '请先登录' }];
  const { rows: users } = await pool.query({ ...selectUser, values: [claims.sub] });
  const payer = users[0];
  if (!payer) return [401, { message: '登录已失效，请重新登录' }];
  const now = Date.now();
  const { rows: limit } = await pool.query({
    ...upsertLimit,
    values: [`orders:${payer.id}`, 1, now + 60_000, now],
  });
  if (limit[0].points > ordersPerMinute) return [429, { message: '请求过于频繁' }];
  const dto = JSON.parse(body);
  const money = Math.round(Number(dto.money) * 100);
  const found = await article(dto.article_id);
  if (!found) return [400, { message: '文章不存在或尚未发布，无法打赏' }];
  const tradeNo = `${new Date(now).toISOString().replace(/\D/g, '').slice(0, 14)}${randomBytes(6).toString('hex')}`;
  const timeExpire = new Date(now + timeoutMinutes * 60_000);
  const { rows } = await pool.query({
    ...insertOrder,
    values: [
      tradeNo,
      payer.id,
      found.id,
      found.user_id,
      money,
      dto.message ?? null,
      dto.anonymous ?? false,
      dto.pay_type,
      'page',
      null,
      0,
      timeExpire,
      new Date(now + 60_000),
      null,
    ],
  });
  const payUrl = pagePayUrl({ tradeNo, money, articleName: found.name, timeExpire });
  return [
    201,
    {
      trade_no: tradeNo,
      status: 0,
      status_text: '待支付',
      money: yuan(money),
      pay_type: dto.pay_type,
      channel: 'page',
      anonymous: dto.anonymous ?? false,
      message: dto.message ?? null,
      article: { id: found.id, name: found.name },
      created_time: rows[0].createdTime,
      paid_time: null,
      time_expire: timeExpire,
      pay_url: payUrl,
      qr_code: null,
      refund: null,
    },
  ];
}

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    if (request.url === '/health') return answer(response, 200, { status: 'ok' });
    if (request.method !== 'POST' || request.url !== '/payments/alipay/') {
      return answer(response, 404, { message: 'not found' });
    }
    createOrder(request, Buffer.concat(chunks).toString('utf8')).then(
      ([status, body]) => answer(response, status, body),
      (error) => answer(response, 500, { message: String(error) }),
    );
  });
});
server.listen(port, '127.0.0.1', () => console.log(`raw order server on 127.0.0.1:${port}`));
process.once('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
