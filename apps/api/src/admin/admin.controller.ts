import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { StaffOnly } from '../auth/staff.guard.js';
import { CurrentUser } from '../users/current-user.decorator.js';
import { LedgerVerificationService } from '../ledger/ledger-verification.service.js';
import { AlipayNotificationsService } from '../payments/alipay-notifications.service.js';
import { NotificationsQuery } from '../payments/dto/notifications.query.js';
import { RewardReportsService } from '../payments/reward-reports.service.js';
import { TradeNoPipe } from '../payments/trade-no.pipe.js';
import type { UserEntity } from '../users/entities/user.entity.js';
import { AdminService } from './admin.service.js';
import { AdminRewardsQuery } from './dto/admin-rewards.query.js';

@ApiTags('admin')
@ApiBearerAuth()
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
  rewards(@Query() query: AdminRewardsQuery) {
    return this.reports.list(query);
  }

  @Post('rewards/:trade_no/sync')
  @HttpCode(HttpStatus.OK)
  sync(@CurrentUser() staff: UserEntity, @Param('trade_no', TradeNoPipe) tradeNo: string) {
    return this.admin.sync(staff, tradeNo);
  }

  @Post('rewards/:trade_no/refund')
  @HttpCode(HttpStatus.OK)
  refund(@CurrentUser() staff: UserEntity, @Param('trade_no', TradeNoPipe) tradeNo: string) {
    return this.admin.refund(staff, tradeNo);
  }

  @Get('ledger/verify')
  verifyLedger() {
    return this.ledgerVerification.verify();
  }

  @Get('notifications')
  listNotifications(@Query() query: NotificationsQuery) {
    return this.notifications.list(query);
  }

  @Get('stats')
  stats() {
    return this.reports.stats();
  }
}
