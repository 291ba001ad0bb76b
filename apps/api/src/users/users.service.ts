import {
  ConflictException,
  Injectable,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { AppConfig } from '@renran/config';
import { isUniqueViolation } from '@renran/database';
import { fenFromDatabase } from '@renran/money';
import { Repository } from 'typeorm';
import { InjectConfig } from '../common/app-config.module.js';
import { type PreparedStatement, runPrepared } from '../common/persistence/prepared-sql.js';
import { RateLimitService } from '../common/rate-limit/rate-limit.service.js';
import { BoundedConcurrency, SlotWaitTimeoutError } from './bounded-concurrency.js';
import { UserEntity } from './entities/user.entity.js';
import { passwordHasher } from './password-hasher.js';

export interface NewUser {
  username: string;
  password: string;
  nickname?: string;
  isStaff?: boolean;
}

/**
 * The user behind every authenticated request (JwtStrategy): each column TypeORM would load
 * (all but the password hash), under its property name. users.e2e-spec checks it answers what
 * `findOneBy` does, so a column added to the entity cannot be missed here.
 */
const USER_BY_ID: PreparedStatement = {
  name: 'users_by_id',
  text: `SELECT id, username, nickname, avatar, mobile, wechat, alipay, qq_number AS "qqNumber",
                money, is_staff AS "isStaff", created_time AS "createdTime",
                updated_time AS "updatedTime"
           FROM users WHERE id = $1`,
};

/** Longest a request waits for a password-hashing slot before it is answered 503. */
const HASH_SLOT_WAIT_MS = 5_000;

@Injectable()
export class UsersService {
  /**
   * An argon2 hash takes ~190 ms of one of libuv's four threads: without a cap, a burst of
   * registrations or guesses would leave none for logins and file reads.
   */
  private readonly hashSlots: BoundedConcurrency;

  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly rateLimits: RateLimitService,
    @InjectConfig() config: AppConfig,
  ) {
    this.hashSlots = new BoundedConcurrency(
      config.accountLimits.passwordHashConcurrency,
      HASH_SLOT_WAIT_MS,
    );
  }

  /** A reader signing up from `ip`: counts against RATE_LIMIT_REGISTER first. */
  async registerFrom(ip: string, newUser: NewUser): Promise<UserEntity> {
    await this.rateLimits.consume('register-ip', ip);
    return this.register(newUser);
  }

  async register({ username, password, nickname, isStaff = false }: NewUser): Promise<UserEntity> {
    const passwordHash = await this.withHashSlot(() => passwordHasher.hash(password));
    try {
      return await this.users.save(
        this.users.create({ username, passwordHash, nickname: nickname ?? null, isStaff }),
      );
    } catch (error) {
      if (isUniqueViolation(error, 'users_username_key')) {
        throw new ConflictException('用户名已被注册');
      }
      throw error;
    }
  }

  /** The user when the password matches, else null; costs the same either way. */
  async verifyCredentials(username: string, password: string): Promise<UserEntity | null> {
    const user = await this.users
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.username = :username', { username })
      .getOne();
    const matches = await this.withHashSlot(() =>
      passwordHasher.verify(user?.passwordHash, password),
    );
    return user && matches ? user : null;
  }

  private async withHashSlot<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await this.hashSlots.run(work);
    } catch (error) {
      if (error instanceof SlotWaitTimeoutError) {
        // The exception filter adds Retry-After to every 503.
        throw new ServiceUnavailableException('服务繁忙，请稍后重试');
      }
      throw error;
    }
  }

  /** One prepared statement per request, no entity hydration: every API call runs this. */
  async findById(id: number): Promise<UserEntity | null> {
    const [row] = await runPrepared<Omit<UserEntity, 'money'> & { money: string }>(
      this.users.manager,
      USER_BY_ID,
      [id],
    );
    return row ? Object.assign(new UserEntity(), row, { money: fenFromDatabase(row.money) }) : null;
  }

  /** A user's balance in fen (written by the ledger alone); 0 for an unknown id. */
  async balanceOf(id: number): Promise<number> {
    const user = await this.users.findOne({ select: { id: true, money: true }, where: { id } });
    return user?.money ?? 0;
  }

  async getById(id: number): Promise<UserEntity> {
    const user = await this.findById(id);
    if (!user) throw new NotFoundException('用户不存在');
    return user;
  }
}
