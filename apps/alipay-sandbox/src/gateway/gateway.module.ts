import { Module } from '@nestjs/common';
import { FaultsModule } from '../faults/faults.module.js';
import { TradesModule } from '../trades/trades.module.js';
import { GatewayController } from './gateway.controller.js';
import { GatewayService } from './gateway.service.js';
import { OpenApiService } from './open-api.service.js';
import { ResponseHolds } from './response-holds.service.js';

@Module({
  imports: [TradesModule, FaultsModule],
  controllers: [GatewayController],
  providers: [GatewayService, OpenApiService, ResponseHolds],
})
export class GatewayModule {}
