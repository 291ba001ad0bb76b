import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** GET /admin/notifications: the Alipay notification log, filtered and paged. */
export class NotificationsQuery {
  @ApiPropertyOptional({ description: 'our order number (out_trade_no)' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_]{1,64}$/, { message: 'trade_no 只能是 1–64 位字母、数字或下划线' })
  trade_no?: string;

  @ApiPropertyOptional({ description: 'what was done with it, e.g. settled, amount_mismatch' })
  @IsOptional()
  @Matches(/^[a-z_]{1,32}$/, { message: 'outcome 只能是 1–32 位小写字母或下划线' })
  outcome?: string;

  @ApiPropertyOptional({ type: 'integer', default: 1, minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'page 必须是正整数' })
  @Min(1, { message: 'page 必须是正整数' })
  @Max(100_000, { message: 'page 过大' })
  page = 1;

  @ApiPropertyOptional({ type: 'integer', default: 20, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'page_size 必须是 1–100 的整数' })
  @Min(1, { message: 'page_size 必须是 1–100 的整数' })
  @Max(100, { message: 'page_size 必须是 1–100 的整数' })
  page_size = 20;
}
