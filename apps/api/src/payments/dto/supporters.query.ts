import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { PageQuery, READER_PAGE } from '../../common/dto/page.query.js';

/** GET /article/:id/rewards: a page of the supporters, by number or after a cursor. */
export class SupportersQuery extends PageQuery(READER_PAGE) {
  @ApiPropertyOptional({
    description: 'next_cursor of the page before: the page after it (page is then ignored)',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'cursor 无效' })
  cursor?: string;
}
