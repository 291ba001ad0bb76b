import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { StaffOnly } from '../auth/staff.guard.js';
import { LedgerVerificationService } from '../ledger/ledger-verification.service.js';

@ApiTags('admin')
@ApiBearerAuth()
@StaffOnly()
@Controller('admin')
export class AdminController {
  constructor(private readonly ledgerVerification: LedgerVerificationService) {}

  @Get('ledger/verify')
  verifyLedger() {
    return this.ledgerVerification.verify();
  }
}
