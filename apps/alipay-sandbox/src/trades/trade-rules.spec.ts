import type { TradeRecord, TradeStatus } from '../state/sandbox-state.js';
import {
  TradeRuleError,
  applyRefund,
  checkReopen,
  expireIfDue,
  markClosed,
  markPaid,
} from './trade-rules.js';
import { SANDBOX_BUYER } from './sandbox-buyer.js';

const T0 = Date.UTC(2026, 10, 26, 2, 0, 0);

function trade(overrides: Partial<TradeRecord> = {}): TradeRecord {
  return {
    outTradeNo: 'R2026112600001',
    tradeNo: '2026112622001000000000000001',
    appId: '2021000000000001',
    status: 'WAIT_BUYER_PAY',
    totalFen: 1000,
    subject: '赞赏',
    gmtCreate: T0,
    refundedFen: 0,
    refunds: [],
    ...overrides,
  };
}

function subCodeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    if (error instanceof TradeRuleError) return error.subCode;
    throw error;
  }
  return undefined;
}

describe('trade rules', () => {
  it.each([
    ['WAIT_BUYER_PAY', T0 + 60_000, T0 + 60_000, true],
    ['WAIT_BUYER_PAY', T0 + 60_000, T0 + 59_999, false],
    ['WAIT_BUYER_PAY', undefined, T0 + 10 ** 9, false],
    ['TRADE_SUCCESS', T0 + 60_000, T0 + 120_000, false],
  ] as const)(
    'expiry of a %s trade expiring at %s, seen at %s: %s',
    (status, timeExpire, now, expired) => {
      const subject = trade({ status, timeExpire });
      expect(expireIfDue(subject, now)).toBe(expired);
      if (expired) {
        expect(subject).toMatchObject({
          status: 'TRADE_CLOSED',
          gmtClose: timeExpire,
          closeReason: 'expired',
        });
      } else {
        expect(subject.status).toBe(status);
      }
    },
  );

  it.each<[TradeStatus, string | undefined]>([
    ['WAIT_BUYER_PAY', undefined],
    ['TRADE_SUCCESS', 'ACQ.TRADE_HAS_SUCCESS'],
    ['TRADE_FINISHED', 'ACQ.TRADE_HAS_SUCCESS'],
    ['TRADE_CLOSED', 'ACQ.TRADE_HAS_CLOSE'],
  ])('paying a %s trade: %s', (status, subCode) => {
    const subject = trade({ status });
    expect(subCodeOf(() => markPaid(subject, T0 + 1000, SANDBOX_BUYER))).toBe(subCode);
    if (!subCode) {
      expect(subject).toMatchObject({
        status: 'TRADE_SUCCESS',
        gmtPayment: T0 + 1000,
        buyerId: SANDBOX_BUYER.id,
      });
    }
  });

  it.each<[TradeStatus, string | undefined]>([
    ['WAIT_BUYER_PAY', undefined],
    ['TRADE_SUCCESS', 'ACQ.TRADE_STATUS_ERROR'],
    ['TRADE_CLOSED', 'ACQ.TRADE_STATUS_ERROR'],
  ])('closing a %s trade: %s', (status, subCode) => {
    const subject = trade({ status });
    expect(subCodeOf(() => markClosed(subject, T0))).toBe(subCode);
    if (!subCode) expect(subject).toMatchObject({ status: 'TRADE_CLOSED', closeReason: 'closed' });
  });

  it.each([
    ['the same order', 1000, 'WAIT_BUYER_PAY', undefined],
    ['another amount', 1001, 'WAIT_BUYER_PAY', 'ACQ.CONTEXT_INCONSISTENT'],
    ['a paid order', 1000, 'TRADE_SUCCESS', 'ACQ.TRADE_HAS_SUCCESS'],
    ['a closed order', 1000, 'TRADE_CLOSED', 'ACQ.TRADE_HAS_CLOSE'],
  ] as const)('reopening with %s', (_name, totalFen, status, subCode) => {
    const order = { outTradeNo: 'R2026112600001', totalFen, subject: '赞赏' };
    expect(subCodeOf(() => checkReopen(trade({ status }), order))).toBe(subCode);
  });

  describe('refunds', () => {
    it.each([
      { name: 'a partial refund', fen: 300, status: 'TRADE_SUCCESS', refunded: 300, closed: false },
      { name: 'a full refund', fen: 1000, status: 'TRADE_CLOSED', refunded: 1000, closed: true },
    ])('$name', ({ fen, status, refunded, closed }) => {
      const subject = trade({ status: 'TRADE_SUCCESS' });
      const outcome = applyRefund(subject, 'RF1', fen, T0 + 5000);
      expect(outcome).toEqual({
        kind: 'new',
        refund: {
          outRequestNo: 'RF1',
          refundFen: fen,
          refundedFenAfter: refunded,
          gmtRefund: T0 + 5000,
        },
        fullyRefunded: closed,
      });
      expect(subject).toMatchObject({ status, refundedFen: refunded });
    });

    it('answers a repeated out_request_no with the first result and moves nothing', () => {
      const subject = trade({ status: 'TRADE_SUCCESS' });
      const first = applyRefund(subject, 'RF1', 1000, T0);
      expect(applyRefund(subject, 'RF1', 1000, T0 + 1)).toEqual({
        kind: 'repeat',
        refund: first.refund,
      });
      expect(subject.refundedFen).toBe(1000);
      expect(subject.refunds).toHaveLength(1);
    });

    it.each([
      ['more than paid', 'TRADE_SUCCESS', 0, 1001, 'ACQ.REASON_TRADE_REFUND_FEE_ERR'],
      ['more than what is left', 'TRADE_SUCCESS', 600, 401, 'ACQ.REASON_TRADE_REFUND_FEE_ERR'],
      ['an unpaid trade', 'WAIT_BUYER_PAY', 0, 100, 'ACQ.TRADE_STATUS_ERROR'],
      ['a closed trade', 'TRADE_CLOSED', 0, 100, 'ACQ.TRADE_STATUS_ERROR'],
    ] as const)('refuses %s', (_name, status, refundedFen, fen, subCode) => {
      const subject = trade({ status, refundedFen });
      expect(subCodeOf(() => applyRefund(subject, 'RF2', fen, T0))).toBe(subCode);
      expect(subject.refundedFen).toBe(refundedFen);
    });
  });
});
