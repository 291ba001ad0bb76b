import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import type { AppConfig } from '@renran/config';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { InjectConfig } from '../app-config.module.js';

export type RateLimitName =
  'login-account-ip' | 'login-ip' | 'login-account' | 'register-ip' | 'orders' | 'withdrawals';

export class TooManyRequestsException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      {
        statusCode: HttpStatus.TOO_MANY_REQUESTS,
        message: `请求过于频繁，请 ${retryAfterSeconds} 秒后再试`,
        error: 'Too Many Requests',
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

const MINUTE = 60;
const HOUR = 3600;

/**
 * Fixed-window limits kept in PostgreSQL (table `rate_limits`, created by a migration), so
 * every API instance counts against the same budget: RATE_LIMIT_LOGIN (failed logins per
 * account + IP and per IP, per minute), RATE_LIMIT_LOGIN_ACCOUNT (failed logins per account
 * from all IPs, per hour), RATE_LIMIT_REGISTER (per IP, per hour), RATE_LIMIT_ORDERS (per
 * user, per minute), RATE_LIMIT_WITHDRAWALS (per user, per hour).
 */
@Injectable()
export class RateLimitService {
  private readonly limiters: Record<RateLimitName, RateLimiterPostgres>;

  constructor(dataSource: DataSource, @InjectConfig() config: AppConfig) {
    const create = (keyPrefix: RateLimitName, points: number, duration: number) =>
      new RateLimiterPostgres({
        storeClient: dataSource,
        storeType: 'typeorm',
        tableName: 'rate_limits',
        tableCreated: true,
        clearExpiredByTimeout: false,
        keyPrefix,
        points,
        duration,
      });
    const { accountLimits } = config;
    this.limiters = {
      'login-account-ip': create('login-account-ip', config.rateLimitLogin, MINUTE),
      'login-ip': create('login-ip', config.rateLimitLogin, MINUTE),
      'login-account': create('login-account', accountLimits.failedLoginsPerAccountPerHour, HOUR),
      'register-ip': create('register-ip', accountLimits.registerPerIpPerHour, HOUR),
      orders: create('orders', config.rateLimitOrders, MINUTE),
      withdrawals: create('withdrawals', config.rateLimitWithdrawals, HOUR),
    };
  }

  /** Spends one point; throws a 429 carrying Retry-After when the budget is used up. */
  async consume(name: RateLimitName, key: string): Promise<void> {
    try {
      await this.limiters[name].consume(key);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        throw new TooManyRequestsException(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
      }
      throw rejection;
    }
  }

  /** Gives back a point spent by `consume` (an attempt that turned out not to count). */
  async refund(name: RateLimitName, key: string): Promise<void> {
    await this.limiters[name].reward(key, 1);
  }
}
