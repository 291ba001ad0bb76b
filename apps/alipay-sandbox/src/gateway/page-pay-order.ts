import { InvalidMoneyError, parseYuanToFen } from '@renran/money';
import { parseBeijingTime } from '../common/beijing-time.js';
import type { TradeChannel } from '../state/sandbox-state.js';
import type { PagePayOrder } from '../trades/trade-rules.js';
import { GatewayError } from './gateway-error.js';

/** 100000000.00 yuan, Alipay's ceiling for one trade. */
const MAX_TOTAL_FEN = 10_000_000_000;
const OUT_TRADE_NO_PATTERN = /^[A-Za-z0-9_]{1,64}$/;
const URL_PATTERN = /^https?:\/\/[^\s]+$/;
const TIMEOUT_EXPRESS_PATTERN = /^(\d+)([mhd])$|^1c$/;
const MINUTE = 60_000;
const UNIT_MS = { m: MINUTE, h: 60 * MINUTE, d: 24 * 60 * MINUTE } as const;

function invalid(reason: string): GatewayError {
  return new GatewayError('40004', 'ACQ.INVALID_PARAMETER', `参数无效：${reason}`);
}

/** Reads biz_content as a JSON object; Open API calls use it too. */
export function parseBizContent(params: Readonly<Record<string, string>>): Record<string, unknown> {
  if (params.biz_content === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(params.biz_content);
  } catch {
    throw new GatewayError(
      '40002',
      'isv.invalid-parameter',
      '参数无效：biz_content 不是合法的 JSON',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new GatewayError(
      '40002',
      'isv.invalid-parameter',
      '参数无效：biz_content 必须是 JSON 对象',
    );
  }
  return parsed as Record<string, unknown>;
}

/** A biz_content amount, given as a string or a number of yuan, in fen. */
export function readAmountFen(value: unknown, name: string, maxFen = MAX_TOTAL_FEN): number {
  try {
    if (typeof value !== 'string' && typeof value !== 'number') throw new InvalidMoneyError(name);
    return parseYuanToFen(value, maxFen);
  } catch (error) {
    if (!(error instanceof InvalidMoneyError)) throw error;
    throw invalid(
      `${name} 必须是 0.01 到 100000000 之间、最多两位小数的金额，收到 ${JSON.stringify(value ?? null)}`,
    );
  }
}

/** An id-like biz_content field: a string (numbers are taken as their digits), or undefined. */
export function readText(biz: Record<string, unknown>, name: string): string | undefined {
  const value = biz[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value !== 'string') throw invalid(`${name} 必须是字符串`);
  return value;
}

/** The product_code each channel's method takes; precreate may leave it out. */
const PRODUCT_CODES: Record<TradeChannel, { code: string; optional: boolean }> = {
  page: { code: 'FAST_INSTANT_TRADE_PAY', optional: false },
  wap: { code: 'QUICK_WAP_WAY', optional: false },
  qr: { code: 'FACE_TO_FACE_PAYMENT', optional: true },
};

/** Validates an alipay.trade.page.pay request (see parsePayOrder). */
export function parsePagePayOrder(
  params: Readonly<Record<string, string>>,
  now: number,
): PagePayOrder {
  return parsePayOrder(params, now, 'page');
}

/**
 * Validates a request that makes a trade as Alipay does: out_trade_no, total_amount,
 * subject, the channel's product_code, the optional time_expire (both documented formats,
 * Beijing time) or timeout_express, the notify/return URLs, and wap's quit_url. Precreate
 * has no return: a scan has no browser to send back.
 */
export function parsePayOrder(
  params: Readonly<Record<string, string>>,
  now: number,
  channel: TradeChannel,
): PagePayOrder {
  if (!params.biz_content) {
    throw new GatewayError('40001', 'isv.missing-biz-content', '缺少必选参数 biz_content');
  }
  const biz = parseBizContent(params);
  const outTradeNo = readText(biz, 'out_trade_no');
  if (outTradeNo === undefined || !OUT_TRADE_NO_PATTERN.test(outTradeNo)) {
    throw invalid('out_trade_no 必须是 1 到 64 位字母、数字或下划线');
  }
  const totalFen = readAmountFen(biz.total_amount, 'total_amount');
  const product = PRODUCT_CODES[channel];
  if (biz.product_code !== product.code && !(product.optional && biz.product_code === undefined)) {
    throw invalid(`product_code 必须是 ${product.code}`);
  }
  const subject = biz.subject;
  if (typeof subject !== 'string' || subject.trim() === '') throw invalid('缺少 subject');
  if ([...subject].length > 256) throw invalid('subject 不能超过 256 个字符');
  if (/[/=&]/.test(subject)) throw invalid('subject 不可使用特殊字符 / = &');

  const order: PagePayOrder = { channel, outTradeNo, totalFen, subject };
  if (biz.time_expire !== undefined) {
    const timeExpire =
      typeof biz.time_expire === 'string' ? parseBeijingTime(biz.time_expire) : undefined;
    if (timeExpire === undefined) {
      throw invalid('time_expire 格式应为 yyyy-MM-dd HH:mm:ss 或 yyyy-MM-dd HH:mm（北京时间）');
    }
    order.timeExpire = timeExpire;
  } else if (biz.timeout_express !== undefined) {
    order.timeExpire = now + readTimeoutExpress(biz.timeout_express);
  }
  const urls = [
    ['notify_url', 'notifyUrl', params.notify_url],
    ['return_url', 'returnUrl', channel === 'qr' ? undefined : params.return_url],
    ['quit_url', 'quitUrl', channel === 'wap' ? readText(biz, 'quit_url') : undefined],
  ] as const;
  for (const [key, field, url] of urls) {
    if (!url) continue;
    if (!URL_PATTERN.test(url) || !URL.canParse(url)) throw invalid(`${key} 必须是 http(s) 地址`);
    order[field] = url;
  }
  return order;
}

/** timeout_express: 1m to 15d, or 1c (until the end of the day; taken as 24 hours here). */
function readTimeoutExpress(value: unknown): number {
  const match = typeof value === 'string' ? TIMEOUT_EXPRESS_PATTERN.exec(value) : null;
  if (!match) throw invalid('timeout_express 格式应为 90m、2h、1d 或 1c');
  if (match[1] === undefined) return UNIT_MS.d;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  if (ms < MINUTE || ms > 15 * UNIT_MS.d) throw invalid('timeout_express 取值范围为 1m 到 15d');
  return ms;
}
