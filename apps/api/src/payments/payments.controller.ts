import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser } from '../users/current-user.decorator.js';
import { Public } from '../common/public.decorator.js';
import type { UserEntity } from '../users/entities/user.entity.js';
import { AlipayNotifyService, toStringMap } from './alipay/alipay-notify.service.js';
import { CreateRewardDto } from './dto/create-reward.dto.js';
import { TradeNoPipe } from './trade-no.pipe.js';
import { RewardsService } from './rewards.service.js';

const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

@ApiTags('payments')
@Controller('payments')
export class PaymentsController {
  constructor(
    private readonly rewards: RewardsService,
    private readonly notifications: AlipayNotifyService,
  ) {}

  @ApiBearerAuth()
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '≤ 64 of [A-Za-z0-9_-]' })
  @Post('alipay')
  async create(
    @CurrentUser() user: UserEntity,
    @Body() dto: CreateRewardDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
      throw new BadRequestException('Idempotency-Key 须为 1–64 位字母、数字、下划线或连字符');
    }
    const { order, replayed } = await this.rewards.createOrder(user, dto, idempotencyKey);
    response.status(HttpStatus.CREATED);
    if (replayed) response.setHeader('Idempotent-Replayed', 'true');
    return order;
  }

  /** Alipay's notification: public, authenticated by its RSA2 signature alone. */
  @Public()
  @ApiConsumes('application/x-www-form-urlencoded')
  @Post('alipay/result')
  @HttpCode(HttpStatus.OK)
  async notify(@Body() form: unknown, @Res() response: Response): Promise<void> {
    let answer: 'success' | 'fail';
    try {
      answer = await this.notifications.handle(form);
    } catch {
      answer = 'fail'; // could not process (database down): Alipay will resend
    }
    response.type('text/plain').send(answer);
  }

  /** The browser's return from Alipay, forwarded by the site's /wallet page. */
  @ApiBearerAuth()
  @Get('alipay/result')
  returnResult(@CurrentUser() user: UserEntity, @Query() query: unknown) {
    const params = toStringMap(query);
    if (!params) throw new BadRequestException('支付结果参数无效');
    return this.rewards.handleReturn(user, params);
  }

  @ApiBearerAuth()
  @Get('rewards/:trade_no')
  get(@CurrentUser() user: UserEntity, @Param('trade_no', TradeNoPipe) tradeNo: string) {
    return this.rewards.getVisibleOrder(user, tradeNo);
  }

  @ApiBearerAuth()
  @Post('rewards/:trade_no/cancel')
  @HttpCode(HttpStatus.OK)
  cancel(@CurrentUser() user: UserEntity, @Param('trade_no', TradeNoPipe) tradeNo: string) {
    return this.rewards.cancel(user, tradeNo);
  }
}
