import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiJwtAuth } from '../common/openapi/api-docs.decorators.js';
import { StaffOnly } from '../auth/staff.guard.js';
import { IdParamPipe } from '../common/id-param.pipe.js';
import { CurrentUser } from '../users/current-user.decorator.js';
import type { UserEntity } from '../users/entities/user.entity.js';
import { toStaffWithdrawal } from '../withdrawals/dto/withdrawal-responses.js';
import { AdminWithdrawalsQuery, RejectWithdrawalDto } from '../withdrawals/dto/withdrawal.dto.js';
import {
  StaffWithdrawalPageResponse,
  StaffWithdrawalResponse,
} from '../withdrawals/dto/withdrawal.response.js';
import { WithdrawalsService } from '../withdrawals/withdrawals.service.js';

/** Staff review of withdrawals (提现): the queue, approve (pays in the request), reject, sync. */
@ApiTags('admin')
@ApiJwtAuth()
@ApiErrors(403)
@StaffOnly()
@Controller('admin/withdrawals')
export class AdminWithdrawalsController {
  constructor(private readonly withdrawals: WithdrawalsService) {}

  @Get()
  @ApiOkResponse({ type: StaffWithdrawalPageResponse })
  @ApiErrors(400)
  async queue(@Query() query: AdminWithdrawalsQuery): Promise<StaffWithdrawalPageResponse> {
    const { items, total } = await this.withdrawals.listForStaff(
      query.status,
      query.page,
      query.page_size,
    );
    return { items: items.map(toStaffWithdrawal), total };
  }

  @Post(':id/approve')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: StaffWithdrawalResponse })
  @ApiErrors(400, 404, 409, 503)
  async approve(
    @CurrentUser() staff: UserEntity,
    @Param('id', IdParamPipe) id: number,
  ): Promise<StaffWithdrawalResponse> {
    return toStaffWithdrawal(await this.withdrawals.approve(staff, id));
  }

  @Post(':id/reject')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: StaffWithdrawalResponse })
  @ApiErrors(400, 404, 409)
  async reject(
    @CurrentUser() staff: UserEntity,
    @Param('id', IdParamPipe) id: number,
    @Body() dto: RejectWithdrawalDto,
  ): Promise<StaffWithdrawalResponse> {
    return toStaffWithdrawal(await this.withdrawals.reject(staff, id, dto.reason));
  }

  /** Ask Alipay now about a processing withdrawal. */
  @Post(':id/sync')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: StaffWithdrawalResponse })
  @ApiErrors(400, 404)
  async sync(@Param('id', IdParamPipe) id: number): Promise<StaffWithdrawalResponse> {
    return toStaffWithdrawal(await this.withdrawals.sync(id));
  }
}
