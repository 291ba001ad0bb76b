import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, randomInt } from 'node:crypto';
import { beijingDateDigits } from '../common/beijing-time.js';
import { NotificationDispatcher } from '../notifications/notification-dispatcher.service.js';
import { SANDBOX_RUNTIME, type SandboxRuntime } from '../sandbox-runtime.js';
import type { RefundRecord, TradeRecord } from '../state/sandbox-state.js';
import { StateStore } from '../state/state-store.service.js';
import { SANDBOX_BUYER } from './sandbox-buyer.js';
import {
  TradeRuleError,
  applyRefund,
  checkReopen,
  expireIfDue,
  markClosed,
  markPaid,
  type PagePayOrder,
} from './trade-rules.js';

/** How the Open API names a trade: by out_trade_no, by Alipay's trade_no, or both. */
export interface TradeRef {
  outTradeNo?: string;
  tradeNo?: string;
}

export interface RefundResult {
  trade: TradeRecord;
  refund: RefundRecord;
  /** False when the out_request_no was already refunded: no money moved this time. */
  fundChange: boolean;
}

/**
 * The trades Alipay's side knows about, and every change to them. Each change is saved at
 * once, and the notice it causes (payment, refund) is queued in the same step.
 */
@Injectable()
export class TradesService {
  constructor(
    private readonly store: StateStore,
    private readonly notifications: NotificationDispatcher,
    @Inject(SANDBOX_RUNTIME) private readonly runtime: SandboxRuntime,
  ) {}

  /**
   * The buyer opened the cashier: the trade exists from now on (WAIT_BUYER_PAY). Opening the
   * same out_trade_no again shows the same trade.
   */
  open(order: PagePayOrder): TradeRecord {
    const existing = this.get(order.outTradeNo);
    if (existing) {
      checkReopen(existing, order);
      if (order.channel === 'qr' && existing.qrToken === undefined) {
        existing.qrToken = newQrToken();
        this.store.save();
      }
      return existing;
    }
    const now = this.runtime.now();
    if (order.timeExpire !== undefined && order.timeExpire <= now) {
      throw new TradeRuleError('ACQ.TRADE_HAS_CLOSE', '交易已经关闭：订单已超过最晚付款时间');
    }
    const trade: TradeRecord = {
      outTradeNo: order.outTradeNo,
      tradeNo: this.nextTradeNo(now),
      appId: this.runtime.appId,
      status: 'WAIT_BUYER_PAY',
      channel: order.channel ?? 'page',
      totalFen: order.totalFen,
      subject: order.subject,
      notifyUrl: order.notifyUrl,
      returnUrl: order.returnUrl,
      quitUrl: order.quitUrl,
      qrToken: order.channel === 'qr' ? newQrToken() : undefined,
      timeExpire: order.timeExpire,
      gmtCreate: now,
      refundedFen: 0,
      refunds: [],
    };
    this.store.state.trades[trade.outTradeNo] = trade;
    this.store.save();
    return trade;
  }

  /** The trade with its expiry applied, or undefined when its cashier was never opened. */
  get(outTradeNo: string): TradeRecord | undefined {
    const trade = Object.hasOwn(this.store.state.trades, outTradeNo)
      ? this.store.state.trades[outTradeNo]
      : undefined;
    if (trade && expireIfDue(trade, this.runtime.now())) this.store.save();
    return trade;
  }

  /** Alipay prefers trade_no when both are given; both must then name the same trade. */
  find(ref: TradeRef): TradeRecord | undefined {
    if (ref.tradeNo !== undefined) {
      const match = Object.values(this.store.state.trades).find(
        (trade) => trade.tradeNo === ref.tradeNo,
      );
      if (!match || (ref.outTradeNo !== undefined && match.outTradeNo !== ref.outTradeNo)) {
        return undefined;
      }
      return this.get(match.outTradeNo);
    }
    return ref.outTradeNo === undefined ? undefined : this.get(ref.outTradeNo);
  }

  /** The trade whose QR code carries this token (the page a scanning phone opens). */
  findByQrToken(token: string): TradeRecord | undefined {
    const match = Object.values(this.store.state.trades).find(
      (trade) => trade.qrToken !== undefined && trade.qrToken === token,
    );
    return match && this.get(match.outTradeNo);
  }

  list(): TradeRecord[] {
    return Object.keys(this.store.state.trades)
      .map((outTradeNo) => this.get(outTradeNo))
      .filter((trade): trade is TradeRecord => trade !== undefined)
      .sort((a, b) => a.gmtCreate - b.gmtCreate);
  }

  /** The sandbox buyer pays: TRADE_SUCCESS, then the notice goes out. */
  pay(outTradeNo: string): { trade: TradeRecord; notifyId?: string } {
    const trade = this.require({ outTradeNo });
    markPaid(trade, this.runtime.now(), SANDBOX_BUYER);
    this.store.save();
    const notice = this.notifications.enqueue(trade);
    return { trade, notifyId: notice?.notifyId };
  }

  close(ref: TradeRef): TradeRecord {
    const trade = this.require(ref);
    markClosed(trade, this.runtime.now());
    this.store.save();
    return trade;
  }

  refund(ref: TradeRef, refundFen: number, outRequestNo: string): RefundResult {
    const trade = this.require(ref);
    const outcome = applyRefund(trade, outRequestNo, refundFen, this.runtime.now());
    if (outcome.kind === 'repeat') {
      return { trade, refund: outcome.refund, fundChange: false };
    }
    this.store.save();
    this.notifications.enqueue(trade, outcome.refund);
    return { trade, refund: outcome.refund, fundChange: true };
  }

  /** The refund made under out_request_no, if any; the trade must exist. */
  findRefund(ref: TradeRef, outRequestNo: string): { trade: TradeRecord; refund?: RefundRecord } {
    const trade = this.require(ref);
    return { trade, refund: trade.refunds.find((item) => item.outRequestNo === outRequestNo) };
  }

  /** Forgets every trade and notice (POST /sandbox/reset). */
  reset(): void {
    this.notifications.forgetAll();
    this.store.reset();
  }

  private require(ref: TradeRef): TradeRecord {
    const trade = this.find(ref);
    if (!trade) throw new TradeRuleError('ACQ.TRADE_NOT_EXIST');
    return trade;
  }

  /** 28 digits like Alipay's: Beijing date, 22001, then 15 digits ending in a sequence. */
  private nextTradeNo(now: number): string {
    this.store.state.tradeSeq += 1;
    const random = String(randomInt(0, 10_000_000)).padStart(7, '0');
    const sequence = String(this.store.state.tradeSeq % 100_000_000).padStart(8, '0');
    return `${beijingDateDigits(now)}22001${random}${sequence}`;
  }
}

/** Unguessable, like the path of Alipay's https://qr.alipay.com/bax… codes. */
function newQrToken(): string {
  return `bax${randomBytes(12).toString('hex')}`;
}
