import { RewardStatus } from '../entities/reward.entity.js';
import { decideNotification, type OrderForNotification } from './notification-decision.js';

const expected = { appId: '2021000000000001', sellerId: '2088000000000001' };
const pending: OrderForNotification = { money: 500, status: RewardStatus.Pending, payType: 0 };
const notice = {
  app_id: expected.appId,
  seller_id: expected.sellerId,
  out_trade_no: 'T1',
  total_amount: '5.00',
  trade_status: 'TRADE_SUCCESS',
};

describe('decideNotification', () => {
  it.each([
    ['a paid notice for a pending order', notice, pending, { action: 'settle' }],
    [
      'TRADE_FINISHED',
      { ...notice, trade_status: 'TRADE_FINISHED' },
      pending,
      { action: 'settle' },
    ],
    [
      'an expired order paid late',
      notice,
      { ...pending, status: RewardStatus.Expired },
      { action: 'settle' },
    ],
    [
      'a cancelled order paid late',
      notice,
      { ...pending, status: RewardStatus.Cancelled },
      { action: 'settle' },
    ],
    ['an amount written as 5', { ...notice, total_amount: '5' }, pending, { action: 'settle' }],
    [
      'an already paid order',
      notice,
      { ...pending, status: RewardStatus.Paid },
      { action: 'record', outcome: 'already_settled', alert: false },
    ],
    [
      'TRADE_FINISHED after a refund',
      { ...notice, trade_status: 'TRADE_FINISHED' },
      { ...pending, status: RewardStatus.Refunded },
      { action: 'record', outcome: 'already_settled', alert: false },
    ],
    [
      'WAIT_BUYER_PAY',
      { ...notice, trade_status: 'WAIT_BUYER_PAY' },
      pending,
      { action: 'record', outcome: 'ignored_status', alert: false },
    ],
    [
      'TRADE_CLOSED',
      { ...notice, trade_status: 'TRADE_CLOSED' },
      pending,
      { action: 'record', outcome: 'ignored_status', alert: false },
    ],
    [
      'another app',
      { ...notice, app_id: '2021999999999999' },
      pending,
      { action: 'record', outcome: 'app_id_mismatch', alert: true },
    ],
    [
      'another seller',
      { ...notice, seller_id: '2088999999999999' },
      pending,
      { action: 'record', outcome: 'seller_id_mismatch', alert: true },
    ],
    [
      'an amount 0.01 short',
      { ...notice, total_amount: '4.99' },
      pending,
      { action: 'record', outcome: 'amount_mismatch', alert: true },
    ],
    [
      'an amount 0.01 over',
      { ...notice, total_amount: '5.01' },
      pending,
      { action: 'record', outcome: 'amount_mismatch', alert: true },
    ],
    [
      'a garbled amount',
      { ...notice, total_amount: '5.00.0' },
      pending,
      { action: 'record', outcome: 'amount_mismatch', alert: true },
    ],
    ['an unknown order', notice, null, { action: 'record', outcome: 'unknown_order', alert: true }],
    [
      'a balance-paid order',
      notice,
      { ...pending, payType: 1 },
      { action: 'record', outcome: 'unknown_order', alert: true },
    ],
  ])('%s', (_label, params, order, decision) => {
    expect(decideNotification(params, order, expected)).toEqual(decision);
  });

  describe('refund notices', () => {
    const paid: OrderForNotification = { ...pending, status: RewardStatus.Paid };
    const noRow = { hasRefundRow: false, authorBalance: 500 };
    const fullRefund = {
      ...notice,
      trade_status: 'TRADE_CLOSED',
      refund_fee: '5.00',
      gmt_refund: '2026-11-26 11:00:00',
      out_biz_no: 'console-1',
    };
    const booked = {
      action: 'book_external_refund',
      refundFen: 500,
      outcome: 'external_refund_booked',
      alert: true,
    };
    const unbooked = { action: 'record', outcome: 'external_refund_unbooked', alert: true };

    it.each([
      ['a full refund made outside, covered by the author', fullRefund, paid, noRow, booked],
      [
        'only gmt_refund: the whole amount',
        { ...fullRefund, refund_fee: undefined },
        paid,
        noRow,
        booked,
      ],
      [
        'a partial refund (TRADE_SUCCESS with refund_fee): not booked as a whole one',
        { ...fullRefund, trade_status: 'TRADE_SUCCESS', refund_fee: '2.00' },
        paid,
        noRow,
        unbooked,
      ],
      [
        'the author cannot cover it',
        fullRefund,
        paid,
        { hasRefundRow: false, authorBalance: 499 },
        unbooked,
      ],
      ['an order never settled', fullRefund, pending, noRow, unbooked],
      [
        'an expired order',
        fullRefund,
        { ...pending, status: RewardStatus.Expired },
        noRow,
        unbooked,
      ],
      [
        'our own refund (a row exists)',
        fullRefund,
        { ...paid, status: RewardStatus.Refunded },
        { hasRefundRow: true, authorBalance: 0 },
        { action: 'record', outcome: 'ignored_status', alert: false },
      ],
      [
        'our own partial-looking refund notice while paid',
        { ...fullRefund, trade_status: 'TRADE_SUCCESS' },
        paid,
        { hasRefundRow: true, authorBalance: 0 },
        { action: 'record', outcome: 'already_settled', alert: false },
      ],
      [
        'refund_fee above the order',
        { ...fullRefund, refund_fee: '5.01' },
        paid,
        noRow,
        { action: 'record', outcome: 'amount_mismatch', alert: true },
      ],
      [
        'a garbled refund_fee',
        { ...fullRefund, refund_fee: 'abc' },
        paid,
        noRow,
        { action: 'record', outcome: 'amount_mismatch', alert: true },
      ],
      [
        'from another app: never booked',
        { ...fullRefund, app_id: '2021999999999999' },
        paid,
        noRow,
        { action: 'record', outcome: 'app_id_mismatch', alert: true },
      ],
    ])('%s', (_label, params, order, refunds, decision) => {
      const fields = Object.fromEntries(
        Object.entries(params).filter(([, value]) => value !== undefined),
      ) as Record<string, string>;
      expect(decideNotification(fields, { ...order, refunds }, expected)).toEqual(decision);
    });

    it('needs the refund facts', () => {
      expect(() => decideNotification(fullRefund, paid, expected)).toThrow(/refund facts/);
    });
  });

  it('skips the seller check when no seller id is configured', () => {
    const decision = decideNotification({ ...notice, seller_id: 'whatever' }, pending, {
      appId: expected.appId,
      sellerId: undefined,
    });
    expect(decision).toEqual({ action: 'settle' });
  });
});
