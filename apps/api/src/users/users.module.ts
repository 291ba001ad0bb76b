import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RateLimitModule } from '../common/rate-limit/rate-limit.module.js';
import { PayoutAccountEntity } from './entities/payout-account.entity.js';
import { UserEntity } from './entities/user.entity.js';
import { PayoutAccountsService } from './payout-accounts.service.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([UserEntity, PayoutAccountEntity]), RateLimitModule],
  controllers: [UsersController],
  providers: [UsersService, PayoutAccountsService],
  exports: [UsersService, PayoutAccountsService],
})
export class UsersModule {}
