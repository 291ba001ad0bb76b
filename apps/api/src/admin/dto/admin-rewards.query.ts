import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { CursorPageQuery, STAFF_PAGE } from '../../common/dto/page.query.js';

export class AdminRewardsQuery extends CursorPageQuery(STAFF_PAGE) {
  @ApiPropertyOptional({ enum: [0, 1, 2, 3, 4] })
  @IsOptional()
  @Type(() => Number)
  @IsIn([0, 1, 2, 3, 4], { message: 'status 只能是 0–4' })
  status?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'article_id 必须是正整数' })
  @Min(1, { message: 'article_id 必须是正整数' })
  @Max(2_147_483_647, { message: 'article_id 过大' })
  article_id?: number;

  @ApiPropertyOptional({ description: 'payer id' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'user_id 必须是正整数' })
  @Min(1, { message: 'user_id 必须是正整数' })
  @Max(2_147_483_647, { message: 'user_id 过大' })
  user_id?: number;

  @ApiPropertyOptional({ description: 'created on or after (ISO 8601)' })
  @IsOptional()
  @IsDateString({}, { message: 'from 必须是 ISO 8601 日期' })
  from?: string;

  @ApiPropertyOptional({ description: 'created before (ISO 8601)' })
  @IsOptional()
  @IsDateString({}, { message: 'to 必须是 ISO 8601 日期' })
  to?: string;
}
