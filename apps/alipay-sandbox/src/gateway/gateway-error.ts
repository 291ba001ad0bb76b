/** Alipay's gateway codes and the `msg` that always goes with each. */
export const GATEWAY_MSG = {
  '10000': 'Success',
  '20000': 'Service Currently Unavailable',
  '40001': 'Missing Required Arguments',
  '40002': 'Invalid Arguments',
  '40004': 'Business Failed',
} as const;

export type GatewayCode = keyof typeof GATEWAY_MSG;

/**
 * A request the gateway refuses. Open API calls get it as `{code, msg, sub_code, sub_msg}`;
 * the page-pay cashier shows it as an error page.
 */
export class GatewayError extends Error {
  constructor(
    readonly code: Exclude<GatewayCode, '10000'>,
    readonly subCode: string,
    readonly subMsg: string,
  ) {
    super(`${code} ${subCode}: ${subMsg}`);
    this.name = 'GatewayError';
  }

  get msg(): string {
    return GATEWAY_MSG[this.code];
  }
}
