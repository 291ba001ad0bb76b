import { ApiProperty } from '@nestjs/swagger';
import { WithdrawalStatus } from '../entities/withdrawal.entity.js';

/** OpenAPI shapes of the withdrawal routes; the mapping functions in withdrawal-responses.ts return them. */
export class WithdrawalPayeeResponse {
  @ApiProperty({ example: '张三' })
  real_name: string;

  @ApiProperty({
    description: 'the Alipay logon id; masked (a***@example.com) for the author, whole for staff',
    example: 'a***@example.com',
  })
  alipay_account: string;
}

/** A withdrawal (提现) as its author sees it. */
export class WithdrawalResponse {
  @ApiProperty({ example: 12 })
  id: number;

  @ApiProperty({ description: 'yuan', example: '100.00' })
  amount: string;

  @ApiProperty({
    enum: WithdrawalStatus,
    enumName: 'WithdrawalStatus',
    description: '0 待审核, 1 处理中, 2 已到账, 3 失败（已退回）, 4 已驳回（已退回）',
  })
  status: WithdrawalStatus;

  @ApiProperty({ format: 'date-time' })
  created_time: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finished_time: string | null;

  @ApiProperty({ type: () => WithdrawalPayeeResponse, description: 'a copy made at the request' })
  payee: WithdrawalPayeeResponse;

  @ApiProperty({ type: String, nullable: true })
  reject_reason: string | null;

  @ApiProperty({ type: String, nullable: true })
  failure_reason: string | null;
}

export class WithdrawalPageResponse {
  @ApiProperty({ type: () => [WithdrawalResponse] })
  items: WithdrawalResponse[];

  @ApiProperty()
  total: number;
}

/** Staff see the whole payee (they check it), who asked, and the transfer's references. */
export class StaffWithdrawalResponse extends WithdrawalResponse {
  @ApiProperty({ example: 7 })
  user_id: number;

  @ApiProperty({ description: 'out_biz_no of alipay.fund.trans.uni.transfer, kept on retries' })
  out_biz_no: string;

  @ApiProperty({ type: String, nullable: true, description: "Alipay's order_id once known" })
  platform_order_id: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'the staff member who reviewed it' })
  reviewed_by: number | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'when a processing transfer is next queried',
  })
  next_check_at: string | null;
}

export class StaffWithdrawalPageResponse {
  @ApiProperty({ type: () => [StaffWithdrawalResponse] })
  items: StaffWithdrawalResponse[];

  @ApiProperty()
  total: number;
}
