import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import type { AppConfig } from '@renran/config';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { InjectConfig } from '../app-config.module.js';

export type RateLimitName = 'login-account' | 'login-ip' | 'orders';

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

/**
 * Fixed-window limits kept in PostgreSQL (table `rate_limits`, created by a migration), so
 * every API instance counts against the same budget. Limits come from RATE_LIMIT_LOGIN and
 * RATE_LIMIT_ORDERS, per minute.
 */
@Injectable()
export class RateLimitService {
  private readonly limiters: Record<RateLimitName, RateLimiterPostgres>;

  constructor(dataSource: DataSource, @InjectConfig() config: AppConfig) {
    const create = (keyPrefix: RateLimitName, points: number) =>
      new RateLimiterPostgres({
        storeClient: dataSource,
        storeType: 'typeorm',
        tableName: 'rate_limits',
        tableCreated: true,
        clearExpiredByTimeout: false,
        keyPrefix,
        points,
        duration: 60,
      });
    this.limiters = {
      'login-account': create('login-account', config.rateLimitLogin),
      'login-ip': create('login-ip', config.rateLimitLogin),
      orders: create('orders', config.rateLimitOrders),
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
}
