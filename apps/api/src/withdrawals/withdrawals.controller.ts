import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Headers,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiJwtAuth } from '../common/openapi/api-docs.decorators.js';
import type { FastifyReply } from 'fastify';
import { CurrentUser } from '../users/current-user.decorator.js';
import type { UserEntity } from '../users/entities/user.entity.js';
import { toWithdrawal } from './dto/withdrawal-responses.js';
import { CreateWithdrawalDto, WithdrawalsPageQuery } from './dto/withdrawal.dto.js';
import { WithdrawalPageResponse, WithdrawalResponse } from './dto/withdrawal.response.js';
import { WithdrawalsService } from './withdrawals.service.js';

const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

@ApiTags('withdrawals')
@ApiJwtAuth()
@Controller('users/me/withdrawals')
export class WithdrawalsController {
  constructor(private readonly withdrawals: WithdrawalsService) {}

  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '≤ 64 of [A-Za-z0-9_-]' })
  @Post()
  @ApiCreatedResponse({
    type: WithdrawalResponse,
    description: 'the request (a replay of an Idempotency-Key answers the first one again)',
  })
  @ApiErrors(400, 409, 429)
  async create(
    @CurrentUser() user: UserEntity,
    @Body() dto: CreateWithdrawalDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<WithdrawalResponse> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
      throw new BadRequestException('Idempotency-Key 须为 1–64 位字母、数字、下划线或连字符');
    }
    const { withdrawal, replayed } = await this.withdrawals.request(
      user,
      dto.amount,
      idempotencyKey,
    );
    if (replayed) void response.header('Idempotent-Replayed', 'true');
    return toWithdrawal(withdrawal);
  }

  @Get()
  @ApiOkResponse({ type: WithdrawalPageResponse })
  @ApiErrors(400)
  async list(
    @CurrentUser() user: UserEntity,
    @Query() query: WithdrawalsPageQuery,
  ): Promise<WithdrawalPageResponse> {
    const { items, total } = await this.withdrawals.listMine(user.id, query.page, query.page_size);
    return { items: items.map(toWithdrawal), total };
  }
}
