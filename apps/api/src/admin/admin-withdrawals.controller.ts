import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { StaffOnly } from '../auth/staff.guard.js';
import { IdParamPipe } from '../common/id-param.pipe.js';
import { CurrentUser } from '../users/current-user.decorator.js';
import type { UserEntity } from '../users/entities/user.entity.js';
import { toStaffWithdrawal } from '../withdrawals/dto/withdrawal-responses.js';
import { AdminWithdrawalsQuery, RejectWithdrawalDto } from '../withdrawals/dto/withdrawal.dto.js';
import { WithdrawalsService } from '../withdrawals/withdrawals.service.js';

/** Staff review of withdrawals (提现): the queue, approve (pays in the request), reject, sync. */
@ApiTags('admin')
@ApiBearerAuth()
@StaffOnly()
@Controller('admin/withdrawals')
export class AdminWithdrawalsController {
  constructor(private readonly withdrawals: WithdrawalsService) {}

  @Get()
  async queue(@Query() query: AdminWithdrawalsQuery) {
    const { items, total } = await this.withdrawals.listForStaff(
      query.status,
      query.page,
      query.page_size,
    );
    return { items: items.map(toStaffWithdrawal), total };
  }

  @Post(':id/approve')
  @HttpCode(HttpStatus.OK)
  async approve(@CurrentUser() staff: UserEntity, @Param('id', IdParamPipe) id: number) {
    return toStaffWithdrawal(await this.withdrawals.approve(staff, id));
  }

  @Post(':id/reject')
  @HttpCode(HttpStatus.OK)
  async reject(
    @CurrentUser() staff: UserEntity,
    @Param('id', IdParamPipe) id: number,
    @Body() dto: RejectWithdrawalDto,
  ) {
    return toStaffWithdrawal(await this.withdrawals.reject(staff, id, dto.reason));
  }

  /** Ask Alipay now about a processing withdrawal. */
  @Post(':id/sync')
  @HttpCode(HttpStatus.OK)
  async sync(@Param('id', IdParamPipe) id: number) {
    return toStaffWithdrawal(await this.withdrawals.sync(id));
  }
}
