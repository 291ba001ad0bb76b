import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RateLimitModule } from '../common/rate-limit/rate-limit.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { PaymentsModule } from '../payments/payments.module.js';
import { UsersModule } from '../users/users.module.js';
import { WithdrawalEntity } from './entities/withdrawal.entity.js';
import { WithdrawalTransfersService } from './withdrawal-transfers.service.js';
import { WithdrawalsController } from './withdrawals.controller.js';
import { WithdrawalsService } from './withdrawals.service.js';

/** Owns the `withdrawals` table; pays out through payments' Alipay client. */
@Module({
  imports: [
    TypeOrmModule.forFeature([WithdrawalEntity]),
    UsersModule,
    LedgerModule,
    PaymentsModule,
    RateLimitModule,
  ],
  controllers: [WithdrawalsController],
  providers: [WithdrawalsService, WithdrawalTransfersService],
  exports: [WithdrawalsService],
})
export class WithdrawalsModule {}
