import { Body, Controller, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { clientIp } from '../common/client-ip.js';
import { Public } from '../common/public.decorator.js';
import { LoginDto } from '../users/dto/login.dto.js';
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
  login(@Body() dto: LoginDto, @Req() request: Request) {
    return this.authService.login(dto.username, dto.password, clientIp(request));
  }
}
