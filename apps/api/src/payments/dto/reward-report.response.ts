import { ApiProperty } from '@nestjs/swagger';
import type { CheckResult } from '../reconciliation.service.js';
import { RewardStatus } from '../entities/reward.entity.js';
import { PersonResponse, RewardOrderResponse } from './reward.response.js';

/** OpenAPI shapes of the staff's reward reports (GET /admin/rewards, /admin/stats, sync). */
export class AdminRewardResponse extends RewardOrderResponse {
  @ApiProperty({ type: () => PersonResponse })
  payer: PersonResponse;

  @ApiProperty({ type: () => PersonResponse })
  author: PersonResponse;

  @ApiProperty({ type: String, nullable: true, description: "Alipay's own trade_no" })
  platform_trade_no: string | null;
}

export class AdminRewardPageResponse {
  @ApiProperty({ type: () => [AdminRewardResponse] })
  items: AdminRewardResponse[];

  @ApiProperty({ description: 'orders the filter selects, counted up to 10,000' })
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

const CHECK_RESULTS = [
  'settled',
  'already_settled',
  'pending',
  'expired',
  'unpaid',
  'unknown',
  'mismatch',
  'unchanged',
] as const satisfies readonly (CheckResult | 'unchanged')[];

export class RewardSyncResponse {
  @ApiProperty({
    enum: CHECK_RESULTS,
    description: 'what asking Alipay found; unchanged: the order was not one to ask about',
  })
  checked: string;

  @ApiProperty({ type: () => RewardOrderResponse })
  order: RewardOrderResponse;
}

export class RewardDayTotal {
  @ApiProperty({ description: 'Beijing date', example: '2026-11-30' })
  day: string;

  @ApiProperty({ enum: RewardStatus, enumName: 'RewardStatus' })
  status: number;

  @ApiProperty()
  orders: number;

  @ApiProperty({ description: 'yuan', example: '25.00' })
  amount: string;
}

export class RewardStatusTotal {
  @ApiProperty({ enum: RewardStatus, enumName: 'RewardStatus' })
  status: number;

  @ApiProperty()
  orders: number;

  @ApiProperty({ description: 'yuan', example: '25.00' })
  amount: string;
}

export class RewardStatsResponse {
  @ApiProperty({ type: () => [RewardDayTotal] })
  by_day: RewardDayTotal[];

  @ApiProperty({ type: () => [RewardStatusTotal] })
  by_status: RewardStatusTotal[];
}
