import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Header,
  Headers,
  HttpCode,
  HttpStatus,
  Logger,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser } from '../users/current-user.decorator.js';
import { ApiErrors, ApiJwtAuth } from '../common/openapi/api-docs.decorators.js';
import { Public } from '../common/public.decorator.js';
import type { UserEntity } from '../users/entities/user.entity.js';
import { AlipayNotifyService, toStringMap } from './alipay/alipay-notify.service.js';
import { CreateRewardDto } from './dto/create-reward.dto.js';
import { RewardOrderResponse } from './dto/reward.response.js';
import { TradeNoPipe } from './trade-no.pipe.js';
import { RewardsService } from './rewards.service.js';

const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Alipay's parameters: a flat map of strings, checked by their RSA2 signature. */
const ALIPAY_PARAMS = { type: 'object', additionalProperties: { type: 'string' } } as const;

@ApiTags('payments')
@Controller('payments')
export class PaymentsController {
  private readonly logger = new Logger(PaymentsController.name);

  constructor(
    private readonly rewards: RewardsService,
    private readonly notifications: AlipayNotifyService,
  ) {}

  @ApiJwtAuth()
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '≤ 64 of [A-Za-z0-9_-]' })
  @Post('alipay')
  @ApiCreatedResponse({
    type: RewardOrderResponse,
    description:
      'the order; a replay of the same Idempotency-Key answers Idempotent-Replayed: true',
  })
  @ApiErrors(400, 404, 409, 429, 502)
  async create(
    @CurrentUser() user: UserEntity,
    @Body() dto: CreateRewardDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<RewardOrderResponse> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
      throw new BadRequestException('Idempotency-Key 须为 1–64 位字母、数字、下划线或连字符');
    }
    const { order, replayed } = await this.rewards.createOrder(user, dto, idempotencyKey);
    if (replayed) void response.header('Idempotent-Replayed', 'true');
    return order;
  }

  /** Alipay's notification: public, authenticated by its RSA2 signature alone. */
  @Public()
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ schema: ALIPAY_PARAMS, description: "Alipay's signed notification fields" })
  @Post('alipay/result')
  @HttpCode(HttpStatus.OK)
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'success, or fail (Alipay sends the notice again)',
    schema: { type: 'string', enum: ['success', 'fail'] },
  })
  @Header('Content-Type', 'text/plain; charset=utf-8')
  async notify(@Body() form: unknown): Promise<'success' | 'fail'> {
    try {
      return await this.notifications.handle(form);
    } catch (error) {
      // Could not process (database down): Alipay will resend, but an operator must see why.
      this.logger.error(
        `Alipay notification not processed, answered fail: ${(error as Error).message}`,
      );
      return 'fail';
    }
  }

  /** The browser's return from Alipay, forwarded by the site's /wallet page. */
  @ApiJwtAuth()
  @ApiQuery({
    name: 'params',
    required: true,
    style: 'form',
    explode: true,
    schema: ALIPAY_PARAMS,
    description: "Alipay's signed return parameters, exactly as the browser brought them back",
  })
  @Get('alipay/result')
  @ApiOkResponse({ type: RewardOrderResponse })
  @ApiErrors(400, 404)
  returnResult(
    @CurrentUser() user: UserEntity,
    @Query() query: unknown,
  ): Promise<RewardOrderResponse> {
    const params = toStringMap(query);
    if (!params) throw new BadRequestException('支付结果参数无效');
    return this.rewards.handleReturn(user, params);
  }

  @ApiJwtAuth()
  @Get('rewards/:trade_no')
  @ApiOkResponse({ type: RewardOrderResponse })
  @ApiErrors(404)
  get(
    @CurrentUser() user: UserEntity,
    @Param('trade_no', TradeNoPipe) tradeNo: string,
  ): Promise<RewardOrderResponse> {
    return this.rewards.getVisibleOrder(user, tradeNo);
  }

  @ApiJwtAuth()
  @Post('rewards/:trade_no/cancel')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: RewardOrderResponse })
  @ApiErrors(404, 409)
  cancel(
    @CurrentUser() user: UserEntity,
    @Param('trade_no', TradeNoPipe) tradeNo: string,
  ): Promise<RewardOrderResponse> {
    return this.rewards.cancel(user, tradeNo);
  }
}
