import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module.js';
import { PaymentsModule } from '../payments/payments.module.js';
import { WithdrawalsModule } from '../withdrawals/withdrawals.module.js';
import { AdminWithdrawalsController } from './admin-withdrawals.controller.js';
import { AdminController } from './admin.controller.js';
import { AdminService } from './admin.service.js';

@Module({
  imports: [LedgerModule, PaymentsModule, WithdrawalsModule],
  controllers: [AdminController, AdminWithdrawalsController],
  providers: [AdminService],
})
export class AdminModule {}
