import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../users/current-user.decorator.js';
import { IdParamPipe } from '../common/id-param.pipe.js';
import { OptionalAuth } from '../common/public.decorator.js';
import type { UserEntity } from '../users/entities/user.entity.js';
import { IncomeQuery, WalletQuery } from './dto/wallet.query.js';
import { WalletService } from './wallet.service.js';

/** Payment data read under other modules' paths; it lives here so payments owns it. */
@ApiTags('payments')
@Controller()
export class WalletController {
  constructor(private readonly wallet: WalletService) {}

  @ApiBearerAuth()
  @Get('users/me/wallet')
  myWallet(@CurrentUser() user: UserEntity, @Query() query: WalletQuery) {
    return this.wallet.wallet(user, query.page, query.page_size);
  }

  @ApiBearerAuth()
  @Get('users/me/income')
  myIncome(@CurrentUser() user: UserEntity, @Query() query: IncomeQuery) {
    return this.wallet.income(user, query.days);
  }

  @OptionalAuth()
  @Get('article/:id/rewards')
  supporters(@Param('id', IdParamPipe) id: number, @CurrentUser() viewer: UserEntity | undefined) {
    return this.wallet.supporters(id, viewer);
  }
}
