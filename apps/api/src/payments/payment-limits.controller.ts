import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AppConfig } from '@renran/config';
import { InjectConfig } from '../common/app-config.module.js';
import { Public } from '../common/public.decorator.js';
import { PaymentLimitsResponse } from './dto/reward.response.js';
import { paymentLimits } from './payment-limits.js';

@ApiTags('payments')
@Controller('payments')
export class PaymentLimitsController {
  constructor(@InjectConfig() private readonly config: AppConfig) {}

  /** Fixed for the life of the process (configuration), so browsers and caches may keep it a while. */
  @Public()
  @Get('limits')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOkResponse({ type: PaymentLimitsResponse })
  limits(): PaymentLimitsResponse {
    return paymentLimits(this.config);
  }
}
