import { Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '@renran/config';
import { createHash } from 'node:crypto';
import { InjectConfig } from '../../common/app-config.module.js';
import { AfterCommitEvents } from '../../common/persistence/after-commit-events.js';
import { runSql } from '../../common/persistence/sql.js';
import { AlipayClient } from './alipay.client.js';
import { parseBeijingTime } from './beijing-time.js';
import {
  decideNotification,
  isRefundNotice,
  type NotificationOutcome,
} from './notification-decision.js';
import { RewardEntity } from '../entities/reward.entity.js';
import { RefundsService } from '../refunds.service.js';
import { SettlementService } from '../settlement.service.js';

export type NotifyAnswer = 'success' | 'fail';

/**
 * POST /payments/alipay/result/, Alipay's server-to-server notification (DESIGN.md, "Alipay
 * callback"). The signature is the only authentication. Forged or malformed: `fail`, nothing
 * stored. Verified: checked, stored (one row per notify_id), settled or ignored, in one
 * transaction; `success` once handled, so Alipay stops resending. Any error on our side
 * (the database is down) propagates, and the controller answers `fail` so Alipay resends.
 */
@Injectable()
export class AlipayNotifyService {
  private readonly logger = new Logger(AlipayNotifyService.name);

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly events: AfterCommitEvents,
    private readonly alipay: AlipayClient,
    private readonly settlement: SettlementService,
    private readonly refunds: RefundsService,
  ) {}

  async handle(form: unknown): Promise<NotifyAnswer> {
    const params = toStringMap(form);
    if (!params || !this.alipay.verifySignature(params)) {
      this.logger.warn(
        `refused an Alipay notification with a missing or invalid signature (out_trade_no ${
          params?.out_trade_no ?? '?'
        })`,
      );
      return 'fail';
    }

    const notifyId =
      params.notify_id ?? `unsigned-id:${createHash('sha256').update(params.sign).digest('hex')}`;
    const { outcome, alert } = await this.events.transaction(async (manager) => {
      // The order's row is locked first: the decision then sees for certain whether it is
      // settled, and a settlement needs the lock anyway.
      const order = params.out_trade_no
        ? await manager.findOne(RewardEntity, {
            where: { tradeNo: params.out_trade_no },
            lock: { mode: 'pessimistic_write' },
          })
        : null;
      // A refund notice also needs the books' refunds of the order; reading them takes the
      // further locks in the one order (rewards → refunds → articles → users).
      const refunds =
        order && isRefundNotice(params)
          ? await this.refunds.refundFactsWithin(manager, order)
          : undefined;
      const decision = decideNotification(
        params,
        order && { money: order.money, status: order.status, payType: order.payType, refunds },
        { appId: this.config.alipay.appId, sellerId: this.config.alipay.sellerId },
      );
      const outcome: NotificationOutcome =
        decision.action === 'settle' ? 'settled' : decision.outcome;
      // One row per notify_id: the first delivery's outcome is kept, repeats add their time.
      await runSql(
        manager,
        `INSERT INTO alipay_notifications
           (notify_id, out_trade_no, trade_status, payload, outcome, delivered_at)
         VALUES ($1, $2, $3, $4, $5, ARRAY[now()])
         ON CONFLICT (notify_id) DO UPDATE
           SET deliveries = alipay_notifications.deliveries + 1,
               delivered_at = array_append(alipay_notifications.delivered_at, now()),
               updated_time = now()`,
        [
          notifyId,
          params.out_trade_no ?? null,
          params.trade_status ?? null,
          JSON.stringify(params),
          outcome,
        ],
      );

      if (decision.action === 'settle') {
        // Under our lock the order is unsettled (else the decision was already_settled).
        await this.settlement.settleLocked(manager, order!, {
          platformTradeNo: params.trade_no ?? null,
          paidAt: parseBeijingTime(params.gmt_payment) ?? new Date(),
          source: 'notify',
        });
      } else if (decision.action === 'book_external_refund') {
        await this.refunds.bookExternalRefund(
          manager,
          order!,
          decision.refundFen,
          params.out_biz_no,
        );
      }
      return { outcome, alert: decision.action !== 'settle' && decision.alert };
    });
    if (alert) {
      // One structured line per alert, once its outcome is stored, for whoever watches logs.
      this.logger.error(
        { alert: outcome, trade_no: params.out_trade_no ?? null, notify_id: notifyId },
        `ALERT ${outcome}: verified Alipay notification for ${params.out_trade_no ?? '?'}`,
      );
    }
    this.logger.log(`notification ${notifyId} for ${params.out_trade_no ?? '?'}: ${outcome}`);
    return 'success';
  }
}

/**
 * Alipay posts a flat form of strings. Anything else (a repeated field turned into an array,
 * a JSON body with numbers) is not a genuine notification. Empty values are dropped before
 * verification, as Alipay drops them before signing.
 */
export function toStringMap(form: unknown): Record<string, string> | null {
  if (typeof form !== 'object' || form === null || Array.isArray(form)) return null;
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(form)) {
    if (typeof value !== 'string') return null;
    if (value !== '') params[key] = value;
  }
  return params;
}
