import { Body, Controller, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { clientIp } from '../common/client-ip.js';
import { ApiErrors } from '../common/openapi/api-docs.decorators.js';
import { Public } from '../common/public.decorator.js';
import { LoginDto } from '../users/dto/login.dto.js';
import { LoginResponse } from '../users/dto/user.response.js';
import { AuthService } from './auth.service.js';

/**
 * POST /users/login. The contract keeps the original's path under /users, but login is
 * auth's: it signs a JWT, and users must not depend on auth (auth -> users). The other
 * /users routes: UsersController (register, me) and payments' WalletController (me/wallet).
 */
@ApiTags('users')
@Controller('users')
export class AuthController {
  constructor(private readonly authService: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: LoginResponse })
  @ApiErrors(400, 401, 429)
  login(@Body() dto: LoginDto, @Req() request: FastifyRequest): Promise<LoginResponse> {
    return this.authService.login(dto.username, dto.password, clientIp(request));
  }
}
