import { Module } from '@nestjs/common';
import { FaultsService } from './faults.service.js';

@Module({ providers: [FaultsService], exports: [FaultsService] })
export class FaultsModule {}
