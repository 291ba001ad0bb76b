import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** Pages beyond this are refused (an OFFSET that large is a mistake or an attack). */
const MAX_PAGE = 100_000;

export interface PageLimits {
  /** page_size when none is given. */
  defaultSize: number;
  /** The largest page_size a route serves. */
  maxSize: number;
}

/**
 * The `?page=&page_size=` of every paged route, as one base class per size limit: a route's
 * query DTO extends `PageQuery({ defaultSize, maxSize })` and adds its own filters.
 */
export function PageQuery({ defaultSize, maxSize }: PageLimits) {
  const sizeMessage = `page_size 必须是 1–${maxSize} 的整数`;

  class Page {
    @ApiPropertyOptional({ type: 'integer', default: 1, minimum: 1 })
    @IsOptional()
    @Type(() => Number)
    @IsInt({ message: 'page 必须是正整数' })
    @Min(1, { message: 'page 必须是正整数' })
    @Max(MAX_PAGE, { message: 'page 过大' })
    page = 1;

    @ApiPropertyOptional({ type: 'integer', default: defaultSize, minimum: 1, maximum: maxSize })
    @IsOptional()
    @Type(() => Number)
    @IsInt({ message: sizeMessage })
    @Min(1, { message: sizeMessage })
    @Max(maxSize, { message: sizeMessage })
    page_size = defaultSize;
  }
  return Page;
}

/**
 * PageQuery plus the keyset `cursor`: a list answering `next_cursor` serves the page after it
 * by an index range however deep it is, where `page` costs an OFFSET over every row before.
 */
export function CursorPageQuery(limits: PageLimits) {
  class CursorPage extends PageQuery(limits) {
    @ApiPropertyOptional({
      description: 'next_cursor of the page before: the page after it (page is then ignored)',
    })
    @IsOptional()
    @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'cursor 无效' })
    cursor?: string;
  }
  return CursorPage;
}

/** Lists a reader pages through (articles, a wallet): 10 by default, at most 50. */
export const READER_PAGE = { defaultSize: 10, maxSize: 50 } as const;
/** Staff lists (orders, notifications): 20 by default, at most 100. */
export const STAFF_PAGE = { defaultSize: 20, maxSize: 100 } as const;
