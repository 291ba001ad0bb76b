import { Inject, Injectable } from '@nestjs/common';
import { encodeForm } from '../common/form-encoding.js';
import { htmlReply, type HttpReply } from '../common/http-reply.js';
import { buildReturnFields } from '../notifications/notice-fields.js';
import { SANDBOX_RUNTIME, type SandboxRuntime } from '../sandbox-runtime.js';
import type { TradeRecord } from '../state/sandbox-state.js';
import { signNoticeParams } from '../signing/signed-params.js';
import { TradeRuleError, refuseIfNotPayable } from '../trades/trade-rules.js';
import { TradesService } from '../trades/trades.service.js';
import {
  renderCancelledPage,
  renderCashierPage,
  renderErrorPage,
  renderPaidPage,
  renderScanPage,
} from './cashier-views.js';

/**
 * The buyer's side: the cashier (page and wap: look again, pay 确认付款, cancel 取消) and the
 * phone that scanned a precreate code (look, pay).
 */
@Injectable()
export class CashierService {
  constructor(
    private readonly trades: TradesService,
    @Inject(SANDBOX_RUNTIME) private readonly runtime: SandboxRuntime,
  ) {}

  show(outTradeNo: string): HttpReply {
    return this.withTrade(outTradeNo, (trade) => {
      if (trade.status === 'TRADE_SUCCESS' || trade.status === 'TRADE_FINISHED') {
        return htmlReply(renderPaidPage(trade, this.runtime));
      }
      refuseIfNotPayable(trade);
      return htmlReply(renderCashierPage(trade, this.runtime));
    });
  }

  /**
   * 确认付款: the trade is paid and its notice queued; the browser goes back to return_url
   * with the signed return parameters (or sees a receipt when there is no return_url).
   */
  pay(outTradeNo: string): HttpReply {
    return this.withTrade(outTradeNo, () => {
      const { trade } = this.trades.pay(outTradeNo);
      if (!trade.returnUrl) return htmlReply(renderPaidPage(trade, this.runtime));
      const params = signNoticeParams(
        buildReturnFields(trade, this.runtime, this.runtime.now()),
        this.runtime.alipayPrivateKey,
      );
      const separator = trade.returnUrl.includes('?') ? '&' : '?';
      return {
        kind: 'redirect',
        location: `${trade.returnUrl}${separator}${encodeForm(params)}`,
      };
    });
  }

  /** The scanning phone's page for a precreate code. */
  showScan(token: string): HttpReply {
    return this.withScannedTrade(token, (trade) => {
      if (trade.status === 'TRADE_SUCCESS' || trade.status === 'TRADE_FINISHED') {
        return htmlReply(renderPaidPage(trade, this.runtime));
      }
      refuseIfNotPayable(trade);
      return htmlReply(renderScanPage(trade, this.runtime));
    });
  }

  /** 确认付款 on the scanning phone: paid, the notice queued, a receipt; no return. */
  payScan(token: string): HttpReply {
    return this.withScannedTrade(token, (trade) => {
      const { trade: paid } = this.trades.pay(trade.outTradeNo);
      return htmlReply(renderPaidPage(paid, this.runtime));
    });
  }

  /** 取消 changes nothing: the trade stays payable until it expires or is closed. */
  cancel(outTradeNo: string): HttpReply {
    return this.withTrade(outTradeNo, (trade) => htmlReply(renderCancelledPage(trade)));
  }

  private withTrade(outTradeNo: string, work: (trade: TradeRecord) => HttpReply): HttpReply {
    return this.withFound(() => this.trades.get(outTradeNo), work);
  }

  private withScannedTrade(token: string, work: (trade: TradeRecord) => HttpReply): HttpReply {
    return this.withFound(() => this.trades.findByQrToken(token), work);
  }

  private withFound(
    find: () => TradeRecord | undefined,
    work: (trade: TradeRecord) => HttpReply,
  ): HttpReply {
    try {
      const trade = find();
      if (!trade) throw new TradeRuleError('ACQ.TRADE_NOT_EXIST');
      return work(trade);
    } catch (error) {
      if (!(error instanceof TradeRuleError)) throw error;
      return htmlReply(
        renderErrorPage({
          code: '40004',
          msg: 'Business Failed',
          subCode: error.subCode,
          subMsg: error.subMsg,
        }),
        error.subCode === 'ACQ.TRADE_NOT_EXIST' ? 404 : 400,
      );
    }
  }
}
