import { Inject, Injectable, Logger } from '@nestjs/common';
import { renderCashierPage, renderErrorPage } from '../cashier/cashier-views.js';
import { htmlReply, type HttpReply } from '../common/http-reply.js';
import { OPEN_API_METHODS } from '../faults/fault-settings.js';
import { FaultsService } from '../faults/faults.service.js';
import { SANDBOX_RUNTIME, type SandboxRuntime } from '../sandbox-runtime.js';
import { responseKeyOf, signedOpenApiBody } from '../signing/open-api-response.js';
import { ACQ_SUB_MSG, TradeRuleError } from '../trades/trade-rules.js';
import { TradesService } from '../trades/trades.service.js';
import { GatewayError } from './gateway-error.js';
import { collectParams, verifyGatewayRequest, type CallerMode } from './gateway-request.js';
import { OpenApiService } from './open-api.service.js';
import { parsePayOrder } from './page-pay-order.js';
import { RequestLog } from './request-log.service.js';

/** The methods answered with a cashier page for the buyer's browser, by channel. */
const CASHIER_METHODS = {
  'alipay.trade.page.pay': 'page',
  'alipay.trade.wap.pay': 'wap',
} as const;
type CashierMethod = keyof typeof CASHIER_METHODS;
const OPEN_API: readonly string[] = OPEN_API_METHODS;

export type GatewayReply = HttpReply & { holdMs?: number };

/**
 * gateway.do: alipay.trade.page.pay and alipay.trade.wap.pay answer with the cashier (or an
 * error page), the Open API methods (precreate included) with signed JSON. Every request is
 * verified first; faults injected through /sandbox/faults are applied to Open API calls
 * after that.
 */
@Injectable()
export class GatewayService {
  private readonly logger = new Logger('Gateway');

  constructor(
    private readonly trades: TradesService,
    private readonly openApi: OpenApiService,
    private readonly faults: FaultsService,
    private readonly requests: RequestLog,
    @Inject(SANDBOX_RUNTIME) private readonly runtime: SandboxRuntime,
  ) {}

  /** `origin` is how the caller reached the sandbox: precreate's codes point there. */
  handle(rawQuery: string, body: unknown, origin: string): GatewayReply {
    let params: Record<string, string>;
    try {
      params = collectParams(rawQuery, body);
    } catch (error) {
      return this.errorPage(error);
    }
    if (params.method === undefined || Object.hasOwn(CASHIER_METHODS, params.method)) {
      return this.cashier((params.method ?? 'alipay.trade.page.pay') as CashierMethod, params);
    }
    return this.openApiCall(params.method, params, origin);
  }

  private cashier(method: CashierMethod, params: Record<string, string>): GatewayReply {
    try {
      const now = this.runtime.now();
      verifyGatewayRequest(params, this.runtime, now);
      this.requests.record(params);
      const trade = this.trades.open(parsePayOrder(params, now, CASHIER_METHODS[method]));
      return htmlReply(renderCashierPage(trade, this.runtime));
    } catch (error) {
      return this.errorPage(error);
    }
  }

  private openApiCall(
    method: string,
    params: Record<string, string>,
    origin: string,
  ): GatewayReply {
    const known = OPEN_API.includes(method);
    const responseKey = known ? responseKeyOf(method) : 'error_response';
    let mode: CallerMode = 'publicKey';
    try {
      mode = verifyGatewayRequest(params, this.runtime, this.runtime.now());
      if (!known) {
        throw new GatewayError('40002', 'isv.invalid-method', `不存在的方法名：${method}`);
      }
      this.requests.record(params);
      const fault = this.faults.takeOpenApiFault(method);
      if (fault) {
        if (fault.apply) this.applyQuietly(method, params, origin, mode);
        this.logger.log(`fault ${fault.mode} answers ${method}`);
        if (fault.mode === '40004') {
          return this.json(responseKey, mode, {
            code: '40004',
            msg: 'Business Failed',
            sub_code: 'ACQ.TRADE_STATUS_ERROR',
            sub_msg: ACQ_SUB_MSG['ACQ.TRADE_STATUS_ERROR'],
          });
        }
        if (fault.mode === 'SYSTEM_ERROR') {
          return this.json(responseKey, mode, {
            code: '40004',
            msg: 'Business Failed',
            // The trade methods say it with their ACQ prefix, the fund methods without.
            sub_code: method.startsWith('alipay.fund.') ? 'SYSTEM_ERROR' : 'ACQ.SYSTEM_ERROR',
            sub_msg: '系统繁忙',
          });
        }
        const unavailable = this.json(responseKey, mode, {
          code: '20000',
          msg: 'Service Currently Unavailable',
          sub_code: 'isp.unknow-error',
          sub_msg: '系统繁忙',
        });
        return fault.mode === 'timeout'
          ? { ...unavailable, holdMs: fault.holdMs ?? this.runtime.openApiTimeoutMs }
          : unavailable;
      }
      return this.json(responseKey, mode, this.openApi.call(method, params, origin, mode));
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      return this.json(responseKey, mode, {
        code: error.code,
        msg: error.msg,
        sub_code: error.subCode,
        sub_msg: error.subMsg,
      });
    }
  }

  /** The `apply` fault: the operation happens, but its answer is lost. */
  private applyQuietly(
    method: string,
    params: Record<string, string>,
    origin: string,
    mode: CallerMode,
  ): void {
    try {
      this.openApi.call(method, params, origin, mode);
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
    }
  }

  /** Signed; to a certificate-mode caller with alipay_cert_sn, as Alipay answers them. */
  private json(
    responseKey: string,
    mode: CallerMode,
    response: Record<string, string>,
  ): GatewayReply {
    const alipayCertSn =
      mode === 'certificate' ? this.runtime.certificates?.alipayCertSn : undefined;
    return {
      kind: 'json',
      status: 200,
      body: signedOpenApiBody(responseKey, response, this.runtime.alipayPrivateKey, alipayCertSn),
    };
  }

  private errorPage(error: unknown): GatewayReply {
    if (error instanceof TradeRuleError) {
      return htmlReply(
        renderErrorPage({
          code: '40004',
          msg: 'Business Failed',
          subCode: error.subCode,
          subMsg: error.subMsg,
        }),
        400,
      );
    }
    if (error instanceof GatewayError) {
      return htmlReply(
        renderErrorPage({
          code: error.code,
          msg: error.msg,
          subCode: error.subCode,
          subMsg: error.subMsg,
        }),
        400,
      );
    }
    throw error;
  }
}
