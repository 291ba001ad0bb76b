import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { RateLimitService } from '../common/rate-limit/rate-limit.service.js';
import { toCurrentUser } from '../users/dto/user-responses.js';
import { UsersService } from '../users/users.service.js';
import type { JwtPayload } from './jwt.strategy.js';

@Injectable()
export class AuthService {
  constructor(
    private readonly usersService: UsersService,
    private readonly jwtService: JwtService,
    private readonly rateLimits: RateLimitService,
  ) {}

  /** Every attempt counts against both the account's and the address's budget. */
  async login(username: string, password: string, ip: string) {
    await this.rateLimits.consume('login-ip', ip);
    await this.rateLimits.consume('login-account', username.toLowerCase());
    const user = await this.usersService.verifyCredentials(username, password);
    if (!user) {
      throw new UnauthorizedException('用户名或密码错误');
    }
    const payload: JwtPayload = { sub: user.id, username: user.username };
    return { token: await this.jwtService.signAsync(payload), user: toCurrentUser(user) };
  }
}
