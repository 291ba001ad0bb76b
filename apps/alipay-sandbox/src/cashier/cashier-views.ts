import { formatFen } from '@renran/money';
import { formatBeijingTime } from '../common/beijing-time.js';
import { SafeHtml, html } from '../common/html.js';
import type { TradeRecord } from '../state/sandbox-state.js';
import { SANDBOX_BUYER } from '../trades/sandbox-buyer.js';

export interface MerchantInfo {
  appId: string;
  sellerId: string;
}

export interface ErrorInfo {
  code: string;
  msg: string;
  subCode: string;
  subMsg: string;
}

/**
 * Server-rendered pages of the sandbox cashier: no scripts, no external assets, every value
 * escaped. Each one carries the 沙箱环境 banner so nobody mistakes it for Alipay.
 */
const STYLE = new SafeHtml(`
*{box-sizing:border-box}body{margin:0;font:14px/1.6 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f5f5f5;color:#333}
.banner{background:#ff6a00;color:#fff;text-align:center;padding:8px 12px;font-weight:bold;letter-spacing:1px}
header{background:#fff;border-bottom:1px solid #e5e5e5;padding:14px 24px;font-size:18px}
header b{color:#1677ff}header span{color:#999;font-size:14px;margin-left:8px}
main{max-width:760px;margin:24px auto;padding:0 16px}
.card{background:#fff;border:1px solid #e5e5e5;border-radius:6px;padding:20px 24px;margin-bottom:16px}
.amount{font-size:30px;color:#ff6a00;font-weight:bold}
dl{display:grid;grid-template-columns:120px 1fr;gap:6px 12px;margin:0}dt{color:#999}dd{margin:0;word-break:break-all}
.actions{display:flex;gap:16px;align-items:center;margin-top:20px}
button{background:#1677ff;color:#fff;border:0;border-radius:4px;padding:10px 36px;font-size:16px;cursor:pointer}
a.cancel{color:#666}.error h1{color:#d4380d;font-size:20px}.ok h1{color:#389e0d;font-size:20px}
.note{color:#999;font-size:12px}
body.phone header{padding:12px 16px;font-size:17px;text-align:center}
body.phone main{max-width:430px;margin:12px auto;padding:0 12px}
body.phone .card{padding:16px;border-radius:10px}
body.phone .amount{font-size:36px;text-align:center;margin:8px 0}
body.phone dl{grid-template-columns:88px 1fr}
body.phone .actions{flex-direction:column;align-items:stretch;gap:12px}
body.phone button{width:100%;padding:14px;font-size:18px;border-radius:8px}
body.phone a.cancel{text-align:center;padding:8px}
.scan-note{background:#e6f4ff;border:1px solid #91caff;border-radius:8px;padding:10px 12px;color:#0958d9}`);

/** Pages for a phone (wap cashier, the scanning phone) are laid out for a 390 px screen. */
type Layout = 'desktop' | 'phone';

function page(title: string, body: SafeHtml, layout: Layout = 'desktop'): string {
  return html`<!doctype html>
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title} - 支付宝沙箱环境</title>
        <style>
          ${STYLE}
        </style>
      </head>
      <body class="${layout}">
        <div class="banner" role="alert">沙箱环境 · 仅供开发测试，不会发生真实扣款</div>
        <header>
          <b>支付宝</b
          ><span>${layout === 'phone' ? '手机收银台（沙箱）' : '我的收银台（沙箱）'}</span>
        </header>
        <main>${body}</main>
      </body>
    </html> `.value;
}

/** Who pays, the same on every cashier: the sandbox's one buyer and its balance. */
function buyerDetails(): SafeHtml {
  return html`<dl>
    <dt>付款账户</dt>
    <dd>${SANDBOX_BUYER.name} ${SANDBOX_BUYER.account}</dd>
    <dt>付款方式</dt>
    <dd>账户余额（沙箱资金，余额充足）</dd>
  </dl>`;
}

function orderDetails(trade: TradeRecord, merchant: MerchantInfo): SafeHtml {
  return html`<dl>
    <dt>收款方</dt>
    <dd>沙箱商户 (APPID ${merchant.appId} · 商户 ${merchant.sellerId})</dd>
    <dt>商品</dt>
    <dd>${trade.subject}</dd>
    <dt>商户订单号</dt>
    <dd>${trade.outTradeNo}</dd>
    <dt>支付宝交易号</dt>
    <dd>${trade.tradeNo}</dd>
    <dt>创建时间</dt>
    <dd>${formatBeijingTime(trade.gmtCreate)}</dd>
    ${
      trade.timeExpire !== undefined &&
      html`<dt>最晚付款时间</dt>
        <dd>${formatBeijingTime(trade.timeExpire)}</dd>`
    }
  </dl>`;
}

const layoutOf = (trade: TradeRecord): Layout =>
  trade.channel === 'wap' || trade.channel === 'qr' ? 'phone' : 'desktop';

export function renderCashierPage(trade: TradeRecord, merchant: MerchantInfo): string {
  const path = `/cashier/${encodeURIComponent(trade.outTradeNo)}`;
  const phone = trade.channel === 'wap';
  return page(
    '收银台',
    html`<section class="card">
        <p>应付金额</p>
        <p class="amount">￥${formatFen(trade.totalFen)}</p>
        ${orderDetails(trade, merchant)}
      </section>
      <section class="card">
        ${buyerDetails()}
        <form class="actions" method="post" action="${path}/pay">
          <button type="submit">确认付款</button>
          <a class="cancel" href="${path}/cancel">取消</a>
        </form>
        <p class="note">
          确认付款后，沙箱会向商户的 notify_url 发送异步通知，并跳转回商户的 return_url。
        </p>
      </section>`,
    phone ? 'phone' : 'desktop',
  );
}

/**
 * The page a precreate code opens: it plays the buyer's phone after scanning the code with
 * the Alipay app. 确认付款 pays and sends the notice; there is no return to the merchant.
 */
export function renderScanPage(trade: TradeRecord, merchant: MerchantInfo): string {
  const path = `/qr/${encodeURIComponent(trade.qrToken ?? '')}`;
  return page(
    '扫码付款',
    html`<p class="scan-note">你用支付宝扫了商户的付款码（沙箱模拟的手机）</p>
      <section class="card">
        <p>付款给 沙箱商户</p>
        <p class="amount">￥${formatFen(trade.totalFen)}</p>
        ${orderDetails(trade, merchant)}
      </section>
      <section class="card">
        ${buyerDetails()}
        <form class="actions" method="post" action="${path}/pay">
          <button type="submit">确认付款</button>
        </form>
        <p class="note">确认付款后，沙箱会向商户的 notify_url 发送异步通知；扫码付款没有跳转。</p>
      </section>`,
    'phone',
  );
}

export function renderErrorPage(error: ErrorInfo): string {
  return page(
    '错误',
    html`<section class="card error">
      <h1>抱歉，您的操作出现错误</h1>
      <dl>
        <dt>错误代码</dt>
        <dd>${error.subCode}</dd>
        <dt>错误原因</dt>
        <dd>${error.subMsg}</dd>
        <dt>网关返回码</dt>
        <dd>${error.code} ${error.msg}</dd>
      </dl>
      <p class="note">沙箱不会为这个请求创建收银台。</p>
    </section>`,
  );
}

export function renderCancelledPage(trade: TradeRecord): string {
  const path = `/cashier/${encodeURIComponent(trade.outTradeNo)}`;
  // A phone cashier's 取消 leads back where the merchant asked (quit_url): the article.
  const merchantHome =
    trade.quitUrl ?? (trade.returnUrl ? new URL(trade.returnUrl).origin + '/' : undefined);
  return page(
    '已取消付款',
    html`<section class="card">
      <h1>您已取消付款</h1>
      <p>
        订单
        ${trade.outTradeNo}（${trade.subject}，￥${formatFen(trade.totalFen)}）尚未支付，没有发生任何扣款。
      </p>
      <p>
        <a href="${path}">返回收银台继续付款</a
        >${merchantHome && html` · <a href="${merchantHome}">返回商户网站</a>`}
      </p>
    </section>`,
    layoutOf(trade),
  );
}

export function renderPaidPage(trade: TradeRecord, merchant: MerchantInfo): string {
  return page(
    '付款成功',
    html`<section class="card ok">
      <h1>付款成功</h1>
      <p class="amount">￥${formatFen(trade.totalFen)}</p>
      ${orderDetails(trade, merchant)}
      ${trade.gmtPayment !== undefined && html`<p>付款时间 ${formatBeijingTime(trade.gmtPayment)}</p>`}
    </section>`,
    layoutOf(trade),
  );
}
