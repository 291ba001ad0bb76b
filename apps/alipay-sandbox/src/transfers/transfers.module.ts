import { Module } from '@nestjs/common';
import { TransfersService } from './transfers.service.js';

@Module({ providers: [TransfersService], exports: [TransfersService] })
export class TransfersModule {}
