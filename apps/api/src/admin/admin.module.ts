import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module.js';
import { AdminController } from './admin.controller.js';

@Module({
  imports: [LedgerModule],
  controllers: [AdminController],
})
export class AdminModule {}
