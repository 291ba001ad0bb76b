import { Module } from '@nestjs/common';
import { FaultsModule } from '../faults/faults.module.js';
import { GatewayModule } from '../gateway/gateway.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { TradesModule } from '../trades/trades.module.js';
import { TransfersModule } from '../transfers/transfers.module.js';
import { ControlController } from './control.controller.js';
import { ControlService } from './control.service.js';
import { IndexController } from './index.controller.js';

@Module({
  imports: [TradesModule, TransfersModule, NotificationsModule, FaultsModule, GatewayModule],
  controllers: [ControlController, IndexController],
  providers: [ControlService],
})
export class ControlModule {}
