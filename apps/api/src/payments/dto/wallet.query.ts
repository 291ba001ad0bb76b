import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { CursorPageQuery, READER_PAGE } from '../../common/dto/page.query.js';

/**
 * GET /users/me/wallet: one page of the tips given and one of those received, by number or
 * after the wallet's `next_cursor` (which moves both lists on, as the next page number does).
 */
export class WalletQuery extends CursorPageQuery(READER_PAGE) {}

/** GET /users/me/income: how many Beijing-time days, up to today. */
export class IncomeQuery {
  @ApiPropertyOptional({ default: 30, minimum: 1, maximum: 366 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'days 必须是 1–366 的整数' })
  @Min(1, { message: 'days 必须是 1–366 的整数' })
  @Max(366, { message: 'days 必须是 1–366 的整数' })
  days = 30;
}
