import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsOptional, IsString, Length } from 'class-validator';
import { PageQuery, READER_PAGE, STAFF_PAGE } from '../../common/dto/page.query.js';
import { WithdrawalStatus } from '../entities/withdrawal.entity.js';

export class CreateWithdrawalDto {
  @ApiProperty({
    example: '100.00',
    description: 'yuan, a JSON string or number with at most two decimals, from WITHDRAW_MIN',
  })
  // Parsed by the service (parseYuanToFen), which names every way it can be wrong.
  @IsDefined({ message: 'amount 为提现金额（元），例如 "100.00"' })
  amount: unknown;
}

export class RejectWithdrawalDto {
  @ApiProperty({ example: '账户信息有误，请核对后重新申请', maxLength: 200 })
  @IsString({ message: 'reason 必须是字符串' })
  @Length(1, 200, { message: 'reason 须为 1–200 个字符，会告诉作者为何驳回' })
  reason: string;
}

const STATUSES = [0, 1, 2, 3, 4] as const;

export class AdminWithdrawalsQuery extends PageQuery(STAFF_PAGE) {
  @ApiPropertyOptional({ enum: STATUSES, description: '0 待审核 1 处理中 2 成功 3 失败 4 已驳回' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'status 须为 0–4' })
  @IsIn(STATUSES, { message: 'status 须为 0–4' })
  status?: WithdrawalStatus;
}

export class WithdrawalsPageQuery extends PageQuery(READER_PAGE) {}
