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

  it('skips the seller check when no seller id is configured', () => {
    const decision = decideNotification({ ...notice, seller_id: 'whatever' }, pending, {
      appId: expected.appId,
      sellerId: undefined,
    });
    expect(decision).toEqual({ action: 'settle' });
  });
});
