import { ApiProperty } from '@nestjs/swagger';
import { LEDGER_MISMATCH_KINDS, type LedgerMismatchKind } from '../ledger-verification.service.js';

/** OpenAPI shape of GET /admin/ledger/verify (LedgerVerification). */
export class LedgerMismatchResponse {
  @ApiProperty({ enum: LEDGER_MISMATCH_KINDS, enumName: 'LedgerMismatchKind' })
  kind: LedgerMismatchKind;

  @ApiProperty({ description: 'what is wrong, e.g. a user or an order' })
  subject: string;

  @ApiProperty()
  expected: string;

  @ApiProperty()
  actual: string;
}

export class LedgerVerificationResponse {
  @ApiProperty({ description: 'true when no mismatch was found' })
  ok: boolean;

  @ApiProperty()
  users_checked: number;

  @ApiProperty()
  movements_checked: number;

  @ApiProperty()
  orders_checked: number;

  @ApiProperty({ description: 'yuan' })
  total_user_balances: string;

  @ApiProperty({ description: 'yuan' })
  external_net_in: string;

  @ApiProperty({ description: 'every mismatch found; at most 100 are listed' })
  mismatch_total: number;

  @ApiProperty({ type: () => [LedgerMismatchResponse] })
  mismatches: LedgerMismatchResponse[];
}
