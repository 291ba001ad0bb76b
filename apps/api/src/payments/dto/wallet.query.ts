import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export { ListArticlesQuery as PageQuery } from '../../articles/dto/article.dto.js';

export class IncomeQuery {
  @ApiPropertyOptional({ default: 30, minimum: 1, maximum: 366 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'days 必须是 1–366 的整数' })
  @Min(1, { message: 'days 必须是 1–366 的整数' })
  @Max(366, { message: 'days 必须是 1–366 的整数' })
  days = 30;
}
