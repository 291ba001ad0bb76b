import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** OpenAPI shapes of GET /users/me/statement; StatementService returns them. */
export class StatementRefResponse {
  @ApiPropertyOptional({ description: 'the order of a tip or its refund' })
  trade_no?: string;

  @ApiPropertyOptional()
  refund_id?: number;

  @ApiPropertyOptional()
  withdrawal_id?: number;
}

/** One movement of the user's balance. */
export class StatementItemResponse {
  @ApiProperty({ description: 'the ledger entry id' })
  id: number;

  @ApiProperty({ format: 'date-time' })
  time: string;

  @ApiProperty({
    description:
      'tip_received, tip_given, refund_debit, refund_credit, refund_reversal, grant, withdrawal, ' +
      'withdrawal_reversal; a ledger kind added later passes through under its own name',
    example: 'tip_received',
  })
  kind: string;

  @ApiProperty({ description: 'signed yuan', example: '+5.00' })
  amount: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the balance this movement left, in yuan; null where the ledger holds none',
  })
  balance_after: string | null;

  @ApiProperty({ type: () => StatementRefResponse })
  ref: StatementRefResponse;
}

export class StatementPageResponse {
  @ApiProperty({ type: () => [StatementItemResponse] })
  items: StatementItemResponse[];

  @ApiProperty({ description: 'counted up to 10,000' })
  total: number;

  @ApiProperty({ description: 'false when the count stopped at 10,000 (there are more)' })
  total_exact: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'pass as `cursor` for the page after this one; null on the last page',
  })
  next_cursor: string | null;
}
