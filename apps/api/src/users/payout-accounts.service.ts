import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { RateLimitService } from '../common/rate-limit/rate-limit.service.js';
import type { PutPayoutAccountDto } from './dto/payout-account.dto.js';
import { PayoutAccountEntity } from './entities/payout-account.entity.js';
import type { UserEntity } from './entities/user.entity.js';
import { UsersService } from './users.service.js';

/** Where a user's withdrawals are paid (DESIGN.md "Author income"); users own the table. */
@Injectable()
export class PayoutAccountsService {
  constructor(
    @InjectRepository(PayoutAccountEntity)
    private readonly accounts: Repository<PayoutAccountEntity>,
    private readonly users: UsersService,
    private readonly rateLimits: RateLimitService,
  ) {}

  findFor(userId: number): Promise<PayoutAccountEntity | null> {
    return this.accounts.findOneBy({ userId });
  }

  async getFor(userId: number): Promise<PayoutAccountEntity> {
    const account = await this.findFor(userId);
    if (!account) throw new NotFoundException('尚未设置提现账户');
    return account;
  }

  /** Sets or replaces the account; the current password first, as it decides where money goes. */
  async put(user: UserEntity, dto: PutPayoutAccountDto): Promise<PayoutAccountEntity> {
    // A guess here is a guess at the login password: it spends the account's hourly budget
    // of failed logins (RATE_LIMIT_LOGIN_ACCOUNT) first, given back when it is right.
    const account = user.username.toLowerCase();
    await this.rateLimits.consume('login-account', account);
    if (!(await this.users.verifyCredentials(user.username, dto.password))) {
      throw new ForbiddenException('当前密码不正确，提现账户未修改');
    }
    await this.rateLimits.refund('login-account', account);
    // One statement, so two changes at once leave one of them whole (never a mix).
    await this.accounts.upsert(
      { userId: user.id, realName: dto.real_name, alipayAccount: dto.alipay_account },
      ['userId'],
    );
    return this.getFor(user.id);
  }
}
