import { Body, Controller, Get, HttpCode, HttpStatus, Post, Put, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { clientIp } from '../common/client-ip.js';
import { ApiErrors, ApiJwtAuth } from '../common/openapi/api-docs.decorators.js';
import { Public } from '../common/public.decorator.js';
import { CurrentUser } from './current-user.decorator.js';
import type { UserEntity } from './entities/user.entity.js';
import { PutPayoutAccountDto } from './dto/payout-account.dto.js';
import { RegisterDto } from './dto/register.dto.js';
import { toCurrentUser, toPayoutAccount, toRegisteredUser } from './dto/user-responses.js';
import {
  CurrentUserResponse,
  PayoutAccountResponse,
  RegisteredUserResponse,
} from './dto/user.response.js';
import { PayoutAccountsService } from './payout-accounts.service.js';
import { UsersService } from './users.service.js';

/**
 * /users/register and /users/me. Two more routes share the /users prefix, each in the module
 * that owns its data: POST /users/login in auth's AuthController (it issues the token), and
 * GET /users/me/wallet in payments' WalletController (orders are payments').
 */
@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(
    private readonly usersService: UsersService,
    private readonly payoutAccounts: PayoutAccountsService,
  ) {}

  @Public()
  @Post('register')
  @HttpCode(HttpStatus.CREATED)
  @ApiCreatedResponse({ type: RegisteredUserResponse })
  @ApiErrors(400, 409, 429)
  async register(
    @Body() dto: RegisterDto,
    @Req() request: FastifyRequest,
  ): Promise<RegisteredUserResponse> {
    return toRegisteredUser(await this.usersService.registerFrom(clientIp(request), dto));
  }

  @ApiJwtAuth()
  @Get('me')
  @ApiOkResponse({ type: CurrentUserResponse })
  me(@CurrentUser() user: UserEntity): CurrentUserResponse {
    return toCurrentUser(user);
  }

  @ApiJwtAuth()
  @Get('me/payout-account')
  @ApiOkResponse({ type: PayoutAccountResponse })
  @ApiErrors(404)
  async payoutAccount(@CurrentUser() user: UserEntity): Promise<PayoutAccountResponse> {
    return toPayoutAccount(await this.payoutAccounts.getFor(user.id));
  }

  @ApiJwtAuth()
  @Put('me/payout-account')
  @ApiOkResponse({ type: PayoutAccountResponse })
  @ApiErrors(400, 403)
  async putPayoutAccount(
    @CurrentUser() user: UserEntity,
    @Body() dto: PutPayoutAccountDto,
  ): Promise<PayoutAccountResponse> {
    return toPayoutAccount(await this.payoutAccounts.put(user, dto));
  }
}
