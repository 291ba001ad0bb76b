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
import { collectParams, verifyGatewayRequest } from './gateway-request.js';
import { OpenApiService } from './open-api.service.js';
import { parsePagePayOrder } from './page-pay-order.js';

const PAGE_PAY = 'alipay.trade.page.pay';
const OPEN_API: readonly string[] = OPEN_API_METHODS;

export type GatewayReply = HttpReply & { holdMs?: number };

/**
 * gateway.do: alipay.trade.page.pay answers with the cashier (or an error page), the Open
 * API methods with signed JSON. Every request is verified first; faults injected through
 * /sandbox/faults are applied to Open API calls after that.
 */
@Injectable()
export class GatewayService {
  private readonly logger = new Logger('Gateway');

  constructor(
    private readonly trades: TradesService,
    private readonly openApi: OpenApiService,
    private readonly faults: FaultsService,
    @Inject(SANDBOX_RUNTIME) private readonly runtime: SandboxRuntime,
  ) {}

  handle(rawQuery: string, body: unknown): GatewayReply {
    let params: Record<string, string>;
    try {
      params = collectParams(rawQuery, body);
    } catch (error) {
      return this.errorPage(error);
    }
    if (params.method === PAGE_PAY || params.method === undefined) {
      return this.pagePay(params);
    }
    return this.openApiCall(params.method, params);
  }

  private pagePay(params: Record<string, string>): GatewayReply {
    try {
      const now = this.runtime.now();
      verifyGatewayRequest(params, this.runtime, now);
      const trade = this.trades.open(parsePagePayOrder(params, now));
      return htmlReply(renderCashierPage(trade, this.runtime));
    } catch (error) {
      return this.errorPage(error);
    }
  }

  private openApiCall(method: string, params: Record<string, string>): GatewayReply {
    const known = OPEN_API.includes(method);
    const responseKey = known ? responseKeyOf(method) : 'error_response';
    try {
      verifyGatewayRequest(params, this.runtime, this.runtime.now());
      if (!known) {
        throw new GatewayError('40002', 'isv.invalid-method', `不存在的方法名：${method}`);
      }
      const fault = this.faults.takeOpenApiFault(method);
      if (fault) {
        if (fault.apply) this.applyQuietly(method, params);
        this.logger.log(`fault ${fault.mode} answers ${method}`);
        if (fault.mode === '40004') {
          return this.json(responseKey, {
            code: '40004',
            msg: 'Business Failed',
            sub_code: 'ACQ.TRADE_STATUS_ERROR',
            sub_msg: ACQ_SUB_MSG['ACQ.TRADE_STATUS_ERROR'],
          });
        }
        const unavailable = this.json(responseKey, {
          code: '20000',
          msg: 'Service Currently Unavailable',
          sub_code: 'isp.unknow-error',
          sub_msg: '系统繁忙',
        });
        return fault.mode === 'timeout'
          ? { ...unavailable, holdMs: fault.holdMs ?? this.runtime.openApiTimeoutMs }
          : unavailable;
      }
      return this.json(responseKey, this.openApi.call(method, params));
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      return this.json(responseKey, {
        code: error.code,
        msg: error.msg,
        sub_code: error.subCode,
        sub_msg: error.subMsg,
      });
    }
  }

  /** The `apply` fault: the operation happens, but its answer is lost. */
  private applyQuietly(method: string, params: Record<string, string>): void {
    try {
      this.openApi.call(method, params);
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
    }
  }

  private json(responseKey: string, response: Record<string, string>): GatewayReply {
    return {
      kind: 'json',
      status: 200,
      body: signedOpenApiBody(responseKey, response, this.runtime.alipayPrivateKey),
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
