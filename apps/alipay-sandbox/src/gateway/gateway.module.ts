import { Module } from '@nestjs/common';
import { FaultsModule } from '../faults/faults.module.js';
import { TradesModule } from '../trades/trades.module.js';
import { TransfersModule } from '../transfers/transfers.module.js';
import { GatewayController } from './gateway.controller.js';
import { GatewayService } from './gateway.service.js';
import { OpenApiService } from './open-api.service.js';
import { RequestLog } from './request-log.service.js';
import { ResponseHolds } from './response-holds.service.js';

@Module({
  imports: [TradesModule, TransfersModule, FaultsModule],
  controllers: [GatewayController],
  providers: [GatewayService, OpenApiService, ResponseHolds, RequestLog],
  exports: [RequestLog],
})
export class GatewayModule {}
