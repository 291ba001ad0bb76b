import { Injectable } from '@nestjs/common';

const KEPT = 500;

export interface LoggedRequest {
  method: string;
  out_trade_no: string | null;
  /** Every parameter exactly as received and verified (sign included), for tests to re-check. */
  params: Record<string, string>;
}

/**
 * The last verified gateway.do requests, in memory only: tests check our signed requests
 * (precreate's biz_content, its signature) with alipay-sdk's own verification.
 */
@Injectable()
export class RequestLog {
  private readonly requests: LoggedRequest[] = [];

  record(params: Readonly<Record<string, string>>): void {
    let outTradeNo: string | null = null;
    try {
      const biz: unknown = JSON.parse(params.biz_content ?? '{}');
      const value = (biz as Record<string, unknown> | null)?.out_trade_no;
      if (typeof value === 'string') outTradeNo = value;
    } catch {
      // Unparseable biz_content is refused later, by the method itself.
    }
    this.requests.push({
      method: params.method ?? '',
      out_trade_no: outTradeNo,
      params: { ...params },
    });
    if (this.requests.length > KEPT) this.requests.splice(0, this.requests.length - KEPT);
  }

  of(outTradeNo?: string): LoggedRequest[] {
    return this.requests.filter(
      (request) => outTradeNo === undefined || request.out_trade_no === outTradeNo,
    );
  }
}
