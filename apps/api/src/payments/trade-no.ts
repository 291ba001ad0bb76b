import { randomBytes } from 'node:crypto';
import { formatBeijingTime } from './alipay/beijing-time.js';

/**
 * Our order number, sent to Alipay as out_trade_no: a readable Beijing-time prefix (sortable,
 * handy in support) and 80 random bits, so it cannot be guessed. 34 characters of [0-9a-f].
 */
export function newTradeNo(now = new Date()): string {
  return formatBeijingTime(now).replace(/\D/g, '') + randomBytes(10).toString('hex');
}
