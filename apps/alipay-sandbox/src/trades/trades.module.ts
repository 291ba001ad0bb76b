import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { TradesService } from './trades.service.js';

@Module({ imports: [NotificationsModule], providers: [TradesService], exports: [TradesService] })
export class TradesModule {}
