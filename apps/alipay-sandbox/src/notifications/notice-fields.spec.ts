import type { TradeRecord } from '../state/sandbox-state.js';
import { buildNoticeFields, buildReturnFields } from './notice-fields.js';

const T0 = Date.UTC(2026, 10, 26, 2, 0, 0);
const merchant = { appId: '2021000000000001', sellerId: '2088000000000001' };

const paid: TradeRecord = {
  outTradeNo: 'R1',
  tradeNo: '2026112622001123456700000001',
  appId: merchant.appId,
  status: 'TRADE_SUCCESS',
  totalFen: 1050,
  subject: '赞赏《荏苒》',
  gmtCreate: T0,
  gmtPayment: T0 + 30_000,
  buyerId: '2088102177000001',
  buyerLogonId: 'buy***@sandbox.alipay.test',
  refundedFen: 0,
  refunds: [],
};

describe('buildNoticeFields', () => {
  it('describes a payment with the standard fields', () => {
    expect(buildNoticeFields(paid, merchant, 'n1')).toEqual({
      notify_type: 'trade_status_sync',
      notify_id: 'n1',
      app_id: merchant.appId,
      auth_app_id: merchant.appId,
      charset: 'utf-8',
      version: '1.0',
      sign_type: 'RSA2',
      trade_no: paid.tradeNo,
      out_trade_no: 'R1',
      buyer_id: '2088102177000001',
      buyer_logon_id: 'buy***@sandbox.alipay.test',
      seller_id: merchant.sellerId,
      trade_status: 'TRADE_SUCCESS',
      total_amount: '10.50',
      receipt_amount: '10.50',
      invoice_amount: '10.50',
      buyer_pay_amount: '10.50',
      point_amount: '0.00',
      subject: '赞赏《荏苒》',
      gmt_create: '2026-11-26 10:00:00',
      gmt_payment: '2026-11-26 10:00:30',
      fund_bill_list: '[{"amount":"10.50","fundChannel":"ALIPAYACCOUNT"}]',
    });
  });

  it.each([
    {
      name: 'a partial refund keeps TRADE_SUCCESS',
      trade: { ...paid, refundedFen: 300 },
      refund: {
        outRequestNo: 'RF1',
        refundFen: 300,
        refundedFenAfter: 300,
        gmtRefund: T0 + 60_000,
      },
      expected: {
        trade_status: 'TRADE_SUCCESS',
        refund_fee: '3.00',
        out_biz_no: 'RF1',
        gmt_refund: '2026-11-26 10:01:00',
      },
      gmtClose: undefined,
    },
    {
      name: 'a full refund closes the trade',
      trade: { ...paid, status: 'TRADE_CLOSED' as const, refundedFen: 1050, gmtClose: T0 + 60_000 },
      refund: {
        outRequestNo: 'RF2',
        refundFen: 1050,
        refundedFenAfter: 1050,
        gmtRefund: T0 + 60_000,
      },
      expected: {
        trade_status: 'TRADE_CLOSED',
        refund_fee: '10.50',
        out_biz_no: 'RF2',
        gmt_refund: '2026-11-26 10:01:00',
      },
      gmtClose: '2026-11-26 10:01:00',
    },
  ])('$name', ({ trade, refund, expected, gmtClose }) => {
    const fields = buildNoticeFields(trade, merchant, 'n2', refund);
    expect(fields).toMatchObject(expected);
    expect(fields.gmt_close).toBe(gmtClose);
  });
});

describe('buildReturnFields', () => {
  it('carries exactly the documented return parameters, no trade_status', () => {
    const fields = buildReturnFields(paid, merchant, T0 + 31_000);
    expect(Object.keys(fields).sort()).toEqual(
      [
        'app_id',
        'auth_app_id',
        'charset',
        'method',
        'out_trade_no',
        'seller_id',
        'sign_type',
        'timestamp',
        'total_amount',
        'trade_no',
        'version',
      ].sort(),
    );
    expect(fields).toMatchObject({
      method: 'alipay.trade.page.pay.return',
      total_amount: '10.50',
      timestamp: '2026-11-26 10:00:31',
    });
  });
});
