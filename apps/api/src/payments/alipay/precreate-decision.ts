import type { AlipayOutcome, PrecreateResult } from './alipay.client.js';

/**
 * What to do with an order after alipay.trade.precreate answered:
 * - `show`: Alipay made the trade; keep the code and show it to the reader;
 * - `refused`: a definite business or request failure, no trade exists at Alipay, so the
 *   order is cancelled and the reader told (502);
 * - `unknown`: a timeout, 20000, an unverifiable answer, or a success that does not name our
 *   order or carries no code. The trade may exist: the order stays pending on the query
 *   ladder (503), and a payment found there still settles.
 */
export type PrecreateDecision =
  | { action: 'show'; qrCode: string }
  | { action: 'refused'; reason: string }
  | { action: 'unknown'; reason: string };

export function decidePrecreate(
  answer: AlipayOutcome<PrecreateResult>,
  tradeNo: string,
): PrecreateDecision {
  switch (answer.kind) {
    case 'ok': {
      const { qrCode, outTradeNo } = answer.data;
      if (outTradeNo !== tradeNo) {
        return { action: 'unknown', reason: `answer names out_trade_no ${outTradeNo}` };
      }
      if (!qrCode) return { action: 'unknown', reason: 'answer carries no qr_code' };
      return { action: 'show', qrCode };
    }
    case 'failed':
      return {
        action: 'refused',
        reason: `${answer.code} ${answer.subCode} ${answer.message}`.trim(),
      };
    case 'unknown':
      return { action: 'unknown', reason: answer.reason };
  }
}
