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

  /**
   * Failed attempts count against the account from this address and against the address (so a
   * stranger guessing elsewhere cannot lock the owner out), and against the account from all
   * addresses together, a looser hourly backstop against guessing spread over many addresses.
   * Each attempt spends its points before the password is checked, so parallel guesses cannot
   * overshoot; a right password gives them back.
   */
  async login(username: string, password: string, ip: string) {
    const account = username.toLowerCase();
    const budgets = [
      ['login-ip', ip],
      ['login-account-ip', `${account}|${ip}`],
      ['login-account', account],
    ] as const;
    for (const [name, key] of budgets) await this.rateLimits.consume(name, key);
    const user = await this.usersService.verifyCredentials(username, password);
    if (!user) {
      throw new UnauthorizedException('用户名或密码错误');
    }
    await Promise.all(budgets.map(([name, key]) => this.rateLimits.refund(name, key)));
    const payload: JwtPayload = { sub: user.id, username: user.username };
    return { token: await this.jwtService.signAsync(payload), user: toCurrentUser(user) };
  }
}
