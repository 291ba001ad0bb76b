import { Module } from '@nestjs/common';
import { FaultsModule } from '../faults/faults.module.js';
import { NotificationDispatcher } from './notification-dispatcher.service.js';

@Module({
  imports: [FaultsModule],
  providers: [NotificationDispatcher],
  exports: [NotificationDispatcher],
})
export class NotificationsModule {}
