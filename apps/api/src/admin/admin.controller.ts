import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { StaffOnly } from '../auth/staff.guard.js';
import { ApiErrors, ApiJwtAuth } from '../common/openapi/api-docs.decorators.js';
import { CurrentUser } from '../users/current-user.decorator.js';
import { LedgerVerificationResponse } from '../ledger/dto/ledger-verification.response.js';
import { LedgerVerificationService } from '../ledger/ledger-verification.service.js';
import { AlipayNotificationsService } from '../payments/alipay-notifications.service.js';
import { NotificationsQuery } from '../payments/dto/notifications.query.js';
import {
  AdminRewardPageResponse,
  RewardStatsResponse,
  RewardSyncResponse,
} from '../payments/dto/reward-report.response.js';
import { NotificationPageResponse, RewardOrderResponse } from '../payments/dto/reward.response.js';
import { RewardReportsService } from '../payments/reward-reports.service.js';
import { TradeNoPipe } from '../payments/trade-no.pipe.js';
import type { UserEntity } from '../users/entities/user.entity.js';
import { AdminService } from './admin.service.js';
import { AdminRewardsQuery } from './dto/admin-rewards.query.js';

@ApiTags('admin')
@ApiJwtAuth()
@ApiErrors(403)
@StaffOnly()
@Controller('admin')
export class AdminController {
  constructor(
    private readonly admin: AdminService,
    private readonly ledgerVerification: LedgerVerificationService,
    private readonly notifications: AlipayNotificationsService,
    private readonly reports: RewardReportsService,
  ) {}

  @Get('rewards')
  @ApiOkResponse({ type: AdminRewardPageResponse })
  @ApiErrors(400)
  rewards(@Query() query: AdminRewardsQuery): Promise<AdminRewardPageResponse> {
    return this.reports.list(query);
  }

  @Post('rewards/:trade_no/sync')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: RewardSyncResponse })
  @ApiErrors(404, 502)
  sync(
    @CurrentUser() staff: UserEntity,
    @Param('trade_no', TradeNoPipe) tradeNo: string,
  ): Promise<RewardSyncResponse> {
    return this.admin.sync(staff, tradeNo);
  }

  @Post('rewards/:trade_no/refund')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: RewardOrderResponse })
  @ApiErrors(404, 409, 502)
  refund(
    @CurrentUser() staff: UserEntity,
    @Param('trade_no', TradeNoPipe) tradeNo: string,
  ): Promise<RewardOrderResponse> {
    return this.admin.refund(staff, tradeNo);
  }

  @Get('ledger/verify')
  @ApiOkResponse({ type: LedgerVerificationResponse })
  @ApiErrors(409)
  verifyLedger(): Promise<LedgerVerificationResponse> {
    return this.ledgerVerification.verify();
  }

  @Get('notifications')
  @ApiOkResponse({ type: NotificationPageResponse })
  @ApiErrors(400)
  listNotifications(@Query() query: NotificationsQuery): Promise<NotificationPageResponse> {
    return this.notifications.list(query);
  }

  @Get('stats')
  @ApiOkResponse({ type: RewardStatsResponse })
  stats(): Promise<RewardStatsResponse> {
    return this.reports.stats();
  }
}
