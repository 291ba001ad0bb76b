import { Injectable } from '@nestjs/common';
import { PayType } from '../payments/entities/reward.entity.js';
import { RewardsService } from '../payments/rewards.service.js';
import { CHECKED_STATUSES, ReconciliationService } from '../payments/reconciliation.service.js';
import { RefundsService } from '../payments/refunds.service.js';
import type { UserEntity } from '../users/entities/user.entity.js';

/**
 * Staff actions on an order, each a sequence of payments' own services. Admin owns no table:
 * its reports are payments' (RewardReportsService) and the ledger's (LedgerVerificationService).
 */
@Injectable()
export class AdminService {
  constructor(
    private readonly rewards: RewardsService,
    private readonly refunds: RefundsService,
    private readonly reconciliation: ReconciliationService,
  ) {}

  /**
   * Asks Alipay about the order now (pending, or cancelled / expired and perhaps paid late),
   * and retries a pending refund, then shows it.
   */
  async sync(staff: UserEntity, tradeNo: string) {
    const reward = await this.rewards.findVisible(staff, tradeNo);
    const checked =
      CHECKED_STATUSES.includes(reward.status) && reward.payType === PayType.Alipay
        ? await this.reconciliation.checkOrderAtAlipay(reward, 'query')
        : 'unchanged';
    const refund = await this.refunds.findForReward(reward.id);
    if (refund?.status === 'pending') await this.refunds.retry(refund.id);
    return { checked, order: await this.rewards.getVisibleOrder(staff, tradeNo) };
  }

  async refund(staff: UserEntity, tradeNo: string) {
    await this.refunds.requestRefund(staff, tradeNo);
    return this.rewards.getVisibleOrder(staff, tradeNo);
  }
}
