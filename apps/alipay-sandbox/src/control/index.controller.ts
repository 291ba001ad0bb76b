import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { html } from '../common/html.js';
import { htmlReply, sendReply } from '../common/http-reply.js';

const ROUTES = [
  [
    'GET|POST',
    '/gateway.do',
    'alipay.trade.page.pay (收银台) · query · close · refund · fastpay.refund.query',
  ],
  ['GET', '/sandbox', '沙箱信息'],
  ['GET', '/sandbox/trades', '全部交易'],
  ['GET', '/sandbox/trades/:out_trade_no', '一笔交易'],
  ['POST', '/sandbox/trades/:out_trade_no/pay', '以沙箱买家身份付款'],
  ['GET', '/sandbox/notifications', '异步通知与每次发送'],
  ['POST', '/sandbox/notifications/flush', '立即重发待发送的通知'],
  ['GET|POST|DELETE', '/sandbox/faults', '故障注入'],
  ['POST', '/sandbox/reset', '清空全部状态'],
] as const;

/** A landing page, so that opening the sandbox's URL in a browser says what it is. */
@Controller()
export class IndexController {
  @Get()
  index(@Res() response: Response): void {
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
            </body>
          </html>`.value,
      ),
    );
  }
}
