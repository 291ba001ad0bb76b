/** The one buyer of the sandbox: who "pays" every trade. */
export const SANDBOX_BUYER = {
  id: '2088102177000001',
  account: 'buyer@sandbox.alipay.test',
  /** Alipay masks the buyer's account in what it sends merchants. */
  logonId: 'buy***@sandbox.alipay.test',
  name: '沙箱买家',
} as const;
