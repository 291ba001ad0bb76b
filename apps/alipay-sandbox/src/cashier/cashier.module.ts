import { Module } from '@nestjs/common';
import { TradesModule } from '../trades/trades.module.js';
import { CashierController, ScanController } from './cashier.controller.js';
import { CashierService } from './cashier.service.js';

@Module({
  imports: [TradesModule],
  controllers: [CashierController, ScanController],
  providers: [CashierService],
})
export class CashierModule {}
