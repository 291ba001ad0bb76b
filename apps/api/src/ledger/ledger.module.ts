import { Module } from '@nestjs/common';
import { LedgerVerificationService } from './ledger-verification.service.js';
import { LedgerService } from './ledger.service.js';
import { StatementController } from './statement.controller.js';
import { StatementService } from './statement.service.js';

@Module({
  controllers: [StatementController],
  providers: [LedgerService, LedgerVerificationService, StatementService],
  exports: [LedgerService, LedgerVerificationService],
})
export class LedgerModule {}
