import { formatFen, InvalidMoneyError, parseYuanToFen } from '@renran/money';
import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { FaultsPatchError } from '../faults/fault-settings.js';
import { FaultsService } from '../faults/faults.service.js';
import { RequestLog } from '../gateway/request-log.service.js';
import { NotificationDispatcher } from '../notifications/notification-dispatcher.service.js';
import { SANDBOX_RUNTIME, type SandboxRuntime } from '../sandbox-runtime.js';
import { StateStore } from '../state/state-store.service.js';
import { SANDBOX_BUYER } from '../trades/sandbox-buyer.js';
import { TradeRuleError } from '../trades/trade-rules.js';
import { TradesService } from '../trades/trades.service.js';
import { PayeeInputError, TransfersService } from '../transfers/transfers.service.js';
import { attemptView, noticeView, payeeView, tradeView, transferView } from './control-views.js';

/** The /sandbox/ API for tests and scripts: trades, notices, faults. */
@Injectable()
export class ControlService {
  constructor(
    private readonly trades: TradesService,
    private readonly notifications: NotificationDispatcher,
    private readonly faults: FaultsService,
    private readonly store: StateStore,
    private readonly requests: RequestLog,
    private readonly payouts: TransfersService,
    @Inject(SANDBOX_RUNTIME) private readonly runtime: SandboxRuntime,
  ) {}

  info() {
    return {
      status: 'ok',
      app_id: this.runtime.appId,
      seller_id: this.runtime.sellerId,
      buyer: { id: SANDBOX_BUYER.id, account: SANDBOX_BUYER.account },
      notify_time_scale: this.runtime.notifyTimeScale,
      open_api_timeout_ms: this.runtime.openApiTimeoutMs,
    };
  }

  /** Pays as the buyer: 404 when the cashier was never opened, 409 when it cannot be paid. */
  pay(outTradeNo: string) {
    try {
      const { trade, notifyId } = this.trades.pay(outTradeNo);
      return { trade: tradeView(trade), notify_id: notifyId ?? null };
    } catch (error) {
      if (!(error instanceof TradeRuleError)) throw error;
      if (error.subCode === 'ACQ.TRADE_NOT_EXIST') {
        throw new NotFoundException(`交易不存在：out_trade_no ${outTradeNo} 的收银台从未打开过`);
      }
      throw new ConflictException(`${error.subCode}: ${error.subMsg}`);
    }
  }

  listTrades() {
    return { trades: this.trades.list().map(tradeView) };
  }

  getTrade(outTradeNo: string) {
    const trade = this.trades.get(outTradeNo);
    if (!trade) {
      throw new NotFoundException(`交易不存在：out_trade_no ${outTradeNo} 的收银台从未打开过`);
    }
    return tradeView(trade);
  }

  requestsOf(outTradeNo?: string) {
    return { requests: this.requests.of(outTradeNo) };
  }

  notificationsOf(outTradeNo?: string) {
    const matches = <T extends { outTradeNo: string }>(item: T): boolean =>
      outTradeNo === undefined || item.outTradeNo === outTradeNo;
    return {
      notices: this.store.state.notices.filter(matches).map(noticeView),
      attempts: this.store.state.attempts.filter(matches).map(attemptView),
    };
  }

  flushNotifications() {
    return { flushed: this.notifications.flush() };
  }

  getFaults() {
    return this.faults.view();
  }

  setFaults(body: unknown) {
    try {
      return this.faults.patch(body);
    } catch (error) {
      if (error instanceof FaultsPatchError) throw new BadRequestException(error.message);
      throw error;
    }
  }

  resetFaults() {
    return this.faults.reset();
  }

  payees() {
    return { payees: this.payouts.payees().map(payeeView) };
  }

  putPayee(body: unknown) {
    try {
      return payeeView(this.payouts.putPayee(body));
    } catch (error) {
      if (error instanceof PayeeInputError) throw new BadRequestException(error.message);
      throw error;
    }
  }

  transfers() {
    return { transfers: this.payouts.list().map(transferView) };
  }

  merchant() {
    return { balance: formatFen(this.payouts.merchantBalanceFen()) };
  }

  setMerchant(body: unknown) {
    const balance = (body as Record<string, unknown> | null)?.balance;
    let fen: number;
    try {
      if (typeof balance !== 'string' && typeof balance !== 'number') {
        throw new InvalidMoneyError('balance');
      }
      // parseYuanToFen refuses 0, which is a balance worth setting (PAYER_BALANCE_NOT_ENOUGH).
      fen = /^0(\.0{1,2})?$/.test(String(balance).trim()) ? 0 : parseYuanToFen(balance);
    } catch (error) {
      if (!(error instanceof InvalidMoneyError)) throw error;
      throw new BadRequestException('balance must be a yuan amount such as "100.00" (0 allowed)');
    }
    this.payouts.setMerchantBalanceFen(fen);
    return this.merchant();
  }

  /** Forgets trades, notices, attempts and faults; payees and the balance return to the seed. */
  reset() {
    this.trades.reset();
    return { ok: true };
  }
}
