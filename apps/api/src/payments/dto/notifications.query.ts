import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { PageQuery, STAFF_PAGE } from '../../common/dto/page.query.js';

/** GET /admin/notifications: the Alipay notification log, filtered and paged. */
export class NotificationsQuery extends PageQuery(STAFF_PAGE) {
  @ApiPropertyOptional({ description: 'our order number (out_trade_no)' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_]{1,64}$/, { message: 'trade_no 只能是 1–64 位字母、数字或下划线' })
  trade_no?: string;

  @ApiPropertyOptional({ description: 'what was done with it, e.g. settled, amount_mismatch' })
  @IsOptional()
  @Matches(/^[a-z_]{1,32}$/, { message: 'outcome 只能是 1–32 位小写字母或下划线' })
  outcome?: string;
}
