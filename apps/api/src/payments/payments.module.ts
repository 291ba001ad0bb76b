import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ArticlesModule } from '../articles/articles.module.js';
import { RateLimitModule } from '../common/rate-limit/rate-limit.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { AlipayClient } from './alipay/alipay.client.js';
import { AlipayNotificationsService } from './alipay-notifications.service.js';
import { AlipayNotifyService } from './alipay/alipay-notify.service.js';
import { AlipayNotificationEntity } from './entities/alipay-notification.entity.js';
import { RefundEntity } from './entities/refund.entity.js';
import { RewardEntity } from './entities/reward.entity.js';
import { PaymentLimitsController } from './payment-limits.controller.js';
import { PaymentsController } from './payments.controller.js';
import { ReconciliationService } from './reconciliation.service.js';
import { RefundsService } from './refunds.service.js';
import { RewardReportsService } from './reward-reports.service.js';
import { RewardsService } from './rewards.service.js';
import { SettlementService } from './settlement.service.js';
import { SupportersCache } from './supporters-cache.js';
import { SupportersSummary } from './supporters-summary.js';
import { WalletController } from './wallet.controller.js';
import { WalletService } from './wallet.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([RewardEntity, RefundEntity, AlipayNotificationEntity]),
    ArticlesModule,
    LedgerModule,
    RateLimitModule,
  ],
  controllers: [PaymentsController, PaymentLimitsController, WalletController],
  providers: [
    AlipayClient,
    AlipayNotificationsService,
    AlipayNotifyService,
    ReconciliationService,
    RefundsService,
    RewardReportsService,
    RewardsService,
    SettlementService,
    SupportersCache,
    SupportersSummary,
    WalletService,
  ],
  exports: [
    AlipayClient,
    RewardsService,
    RefundsService,
    ReconciliationService,
    AlipayNotificationsService,
    RewardReportsService,
  ],
})
export class PaymentsModule {}
