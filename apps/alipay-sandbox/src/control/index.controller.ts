import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { html } from '../common/html.js';
import { formatFen } from '@renran/money';
import { formatBeijingTime } from '../common/beijing-time.js';
import { htmlReply, sendReply } from '../common/http-reply.js';
import { TransfersService } from '../transfers/transfers.service.js';

const ROUTES = [
  [
    'GET|POST',
    '/gateway.do',
    'alipay.trade.page.pay (收银台) · wap.pay · precreate · query · close · refund · fastpay.refund.query · fund.trans.uni.transfer · fund.trans.common.query',
  ],
  ['GET', '/sandbox', '沙箱信息'],
  ['GET', '/sandbox/trades', '全部交易'],
  ['GET', '/sandbox/trades/:out_trade_no', '一笔交易'],
  ['POST', '/sandbox/trades/:out_trade_no/pay', '以沙箱买家身份付款'],
  ['GET', '/sandbox/notifications', '异步通知与每次发送'],
  ['POST', '/sandbox/notifications/flush', '立即重发待发送的通知'],
  ['GET|POST|DELETE', '/sandbox/faults', '故障注入'],
  ['GET|POST', '/sandbox/payees', '收款账户（登录号 + 真实姓名）'],
  ['GET', '/sandbox/transfers', '全部转账'],
  ['GET|POST', '/sandbox/merchant', '商户余额（转账从这里付出）'],
  ['POST', '/sandbox/reset', '清空全部状态'],
] as const;

/**
 * A landing page, so that opening the sandbox's URL in a browser says what it is, with the
 * merchant's balance, the payee accounts and the transfers made.
 */
@Controller()
export class IndexController {
  constructor(private readonly transfers: TransfersService) {}

  @Get()
  index(@Res() response: Response): void {
    const payees = this.transfers.payees().map(
      (payee) =>
        html`<tr>
          <td>${payee.logonId}</td>
          <td>${payee.name}</td>
        </tr>`,
    );
    const transfers = this.transfers.list().map(
      (transfer) =>
        html`<tr>
          <td>${transfer.outBizNo}</td>
          <td>${formatFen(transfer.amountFen)}</td>
          <td>${transfer.payeeLogonId}</td>
          <td>${transfer.payeeName}</td>
          <td>${transfer.status}</td>
          <td>${formatBeijingTime(transfer.transDate)}</td>
        </tr>`,
    );
    const rows = ROUTES.map(
      ([method, path, what]) =>
        html`<tr>
          <td>${method}</td>
          <td><code>${path}</code></td>
          <td>${what}</td>
        </tr>`,
    );
    sendReply(
      response,
      htmlReply(
        html`<!doctype html>
          <html lang="zh-CN">
            <head>
              <meta charset="utf-8" />
              <title>支付宝沙箱网关</title>
            </head>
            <body>
              <p><strong>沙箱环境</strong> · 本地支付宝网关（仅供开发测试）</p>
              <table>
                ${rows}
              </table>
              <h2>转账（alipay.fund.trans.uni.transfer）</h2>
              <p>
                商户余额：<strong id="merchant-balance"
                  >${formatFen(this.transfers.merchantBalanceFen())}</strong
                >
                元
              </p>
              <table id="payees">
                <tr>
                  <th>收款账户</th>
                  <th>真实姓名</th>
                </tr>
                ${payees}
              </table>
              <table id="transfers">
                <tr>
                  <th>out_biz_no</th>
                  <th>金额</th>
                  <th>收款账户</th>
                  <th>姓名</th>
                  <th>状态</th>
                  <th>时间</th>
                </tr>
                ${transfers}
              </table>
            </body>
          </html>`.value,
      ),
    );
  }
}
