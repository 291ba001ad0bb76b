import { Module } from '@nestjs/common';
import { LedgerVerificationService } from './ledger-verification.service.js';
import { LedgerService } from './ledger.service.js';

@Module({
  providers: [LedgerService, LedgerVerificationService],
  exports: [LedgerService, LedgerVerificationService],
})
export class LedgerModule {}
