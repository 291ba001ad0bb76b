import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../users/current-user.decorator.js';
import { IdParamPipe } from '../common/id-param.pipe.js';
import { ApiErrors, ApiJwtAuth, JWT_SCHEME } from '../common/openapi/api-docs.decorators.js';
import { OptionalAuth } from '../common/public.decorator.js';
import type { UserEntity } from '../users/entities/user.entity.js';
import { ArticleRewardsResponse, IncomeResponse, WalletResponse } from './dto/reward.response.js';
import { SupportersQuery } from './dto/supporters.query.js';
import { IncomeQuery, WalletQuery } from './dto/wallet.query.js';
import { WalletService } from './wallet.service.js';

/** Payment data read under other modules' paths; it lives here so payments owns it. */
@ApiTags('payments')
@Controller()
export class WalletController {
  constructor(private readonly wallet: WalletService) {}

  @ApiJwtAuth()
  @Get('users/me/wallet')
  @ApiOkResponse({ type: WalletResponse })
  @ApiErrors(400)
  myWallet(@CurrentUser() user: UserEntity, @Query() query: WalletQuery): Promise<WalletResponse> {
    return this.wallet.wallet(user, query);
  }

  @ApiJwtAuth()
  @Get('users/me/income')
  @ApiOkResponse({ type: IncomeResponse })
  @ApiErrors(400)
  myIncome(@CurrentUser() user: UserEntity, @Query() query: IncomeQuery): Promise<IncomeResponse> {
    return this.wallet.income(user, query.days);
  }

  /** A token is optional: with one, the author sees every amount and a payer their own. */
  @OptionalAuth()
  @ApiBearerAuth(JWT_SCHEME)
  @ApiSecurity({}) // or none at all
  @Get('article/:id/rewards')
  @ApiOkResponse({ type: ArticleRewardsResponse })
  @ApiErrors(400, 404)
  supporters(
    @Param('id', IdParamPipe) id: number,
    @CurrentUser() viewer: UserEntity | undefined,
    @Query() query: SupportersQuery,
  ): Promise<ArticleRewardsResponse> {
    return this.wallet.supporters(id, viewer, query);
  }
}
