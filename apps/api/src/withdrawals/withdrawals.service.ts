import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { AppConfig } from '@renran/config';
import { isUniqueViolation } from '@renran/database';
import { formatFen, InvalidMoneyError, parseYuanToFen } from '@renran/money';
import { randomBytes } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import { InjectConfig } from '../common/app-config.module.js';
import { AfterCommitEvents } from '../common/persistence/after-commit-events.js';
import { RateLimitService } from '../common/rate-limit/rate-limit.service.js';
import { runSql } from '../common/persistence/sql.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { AlipayClient } from '../payments/alipay/alipay.client.js';
import { formatBeijingTime } from '../payments/alipay/beijing-time.js';
import type { UserEntity } from '../users/entities/user.entity.js';
import { PayoutAccountsService } from '../users/payout-accounts.service.js';
import { WithdrawalEntity, WithdrawalStatus } from './entities/withdrawal.entity.js';
import { reserveMovement, reversalMovement } from './withdrawal-movements.js';
import { WithdrawalTransfersService } from './withdrawal-transfers.service.js';

export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * Withdrawals (提现, DESIGN.md "Author income"): requested by the author with the amount
 * reserved at once, reviewed by staff (approve: the first transfer inside the request;
 * reject: the reserve goes back), or approved at once up to WITHDRAW_AUTO_MAX. Every
 * transaction here locks the withdrawal before the user (rewards → refunds → withdrawals →
 * articles → users).
 */
@Injectable()
export class WithdrawalsService {
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectRepository(WithdrawalEntity)
    private readonly withdrawals: Repository<WithdrawalEntity>,
    private readonly dataSource: DataSource,
    private readonly events: AfterCommitEvents,
    private readonly ledger: LedgerService,
    private readonly payoutAccounts: PayoutAccountsService,
    private readonly rateLimits: RateLimitService,
    private readonly alipay: AlipayClient,
    private readonly transfers: WithdrawalTransfersService,
  ) {}

  /**
   * POST /users/me/withdrawals. With an Idempotency-Key a repeat answers the first request.
   * The reserve is the ledger's one `UPDATE users SET money = money + $1 … WHERE money + $1
   * >= 0`: when it cannot be covered the whole request rolls back and answers 409 余额不足.
   */
  async request(
    user: UserEntity,
    amountInput: unknown,
    idempotencyKey: string | undefined,
  ): Promise<{ withdrawal: WithdrawalEntity; replayed: boolean }> {
    const amount = this.parseAmount(amountInput);
    if (idempotencyKey) {
      const earlier = await this.withdrawals.findOneBy({ userId: user.id, idempotencyKey });
      if (earlier) return { withdrawal: this.replay(earlier, amount), replayed: true };
    }
    await this.rateLimits.consume('withdrawals', String(user.id));
    const account = await this.payoutAccounts.findFor(user.id);
    if (!account) {
      throw new BadRequestException('请先设置提现账户（支付宝登录名与真实姓名）');
    }
    let withdrawal: WithdrawalEntity;
    try {
      withdrawal = await this.events.transaction(async (manager) => {
        const row = await manager.save(
          manager.create(WithdrawalEntity, {
            userId: user.id,
            amount,
            status: WithdrawalStatus.Pending,
            outBizNo: newOutBizNo(),
            payeeName: account.realName,
            payeeAccount: account.alipayAccount,
            idempotencyKey: idempotencyKey ?? null,
          }),
        );
        await this.ledger.post(manager, reserveMovement(row));
        return row;
      });
    } catch (error) {
      if (idempotencyKey && isUniqueViolation(error, 'withdrawals_user_idempotency_key_key')) {
        // A concurrent request with the same key won the race: answer its withdrawal.
        const earlier = await this.withdrawals.findOneByOrFail({ userId: user.id, idempotencyKey });
        return { withdrawal: this.replay(earlier, amount), replayed: true };
      }
      throw error;
    }
    if (amount <= this.config.withdrawAutoMaxFen && this.alipay.supportsTransfers) {
      await this.transfers.approve(withdrawal.id, null);
      withdrawal = await this.withdrawals.findOneByOrFail({ id: withdrawal.id });
    }
    return { withdrawal, replayed: false };
  }

  async listMine(userId: number, page: number, pageSize: number): Promise<Page<WithdrawalEntity>> {
    const [items, total] = await this.withdrawals.findAndCount({
      where: { userId },
      order: { id: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { items, total };
  }

  /** Staff's queue: oldest first, so the longest-waiting request is reviewed first. */
  async listForStaff(
    status: WithdrawalStatus | undefined,
    page: number,
    pageSize: number,
  ): Promise<Page<WithdrawalEntity>> {
    const [items, total] = await this.withdrawals.findAndCount({
      where: status === undefined ? {} : { status },
      order: { id: status === WithdrawalStatus.Pending ? 'ASC' : 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { items, total };
  }

  /** Staff approve: the first transfer attempt is made inside this request. */
  async approve(staff: UserEntity, id: number): Promise<WithdrawalEntity> {
    const withdrawal = await this.get(id);
    if (!this.alipay.supportsTransfers) {
      throw new ServiceUnavailableException('提现需要公钥证书模式');
    }
    if (!(await this.transfers.approve(withdrawal.id, staff.id))) {
      throw new ConflictException('只有待审核的提现可以批准');
    }
    return this.get(id);
  }

  /** Staff reject a pending request: rejected, and the reserve back, in one transaction. */
  async reject(staff: UserEntity, id: number, reason: string): Promise<WithdrawalEntity> {
    await this.get(id);
    await this.events.transaction(async (manager) => {
      const { rows } = await runSql<{ id: number }>(
        manager,
        `UPDATE withdrawals SET status = $2, reject_reason = $3, reviewed_by = $4,
                finished_time = now(), updated_time = now()
          WHERE id = $1 AND status = $5
          RETURNING id`,
        [id, WithdrawalStatus.Rejected, reason, staff.id, WithdrawalStatus.Pending],
      );
      if (rows.length === 0) throw new ConflictException('只有待审核的提现可以驳回');
      await this.ledger.post(
        manager,
        reversalMovement(await this.get(id, manager.getRepository(WithdrawalEntity))),
      );
    });
    return this.get(id);
  }

  /** Staff ask Alipay now about a processing withdrawal (instead of waiting for the ladder). */
  async sync(id: number): Promise<WithdrawalEntity> {
    const withdrawal = await this.get(id);
    if (withdrawal.status === WithdrawalStatus.Processing) await this.transfers.check(id);
    return this.get(id);
  }

  async get(id: number, repository = this.withdrawals): Promise<WithdrawalEntity> {
    const withdrawal = await repository.findOneBy({ id });
    if (!withdrawal) throw new NotFoundException('提现申请不存在');
    return withdrawal;
  }

  private parseAmount(input: unknown): number {
    let amount: number;
    try {
      amount = parseYuanToFen(input);
    } catch (error) {
      if (error instanceof InvalidMoneyError) {
        throw new BadRequestException(`amount ${error.message}`);
      }
      throw error;
    }
    if (amount < this.config.withdrawMinFen) {
      throw new BadRequestException(`提现金额不能低于 ${formatFen(this.config.withdrawMinFen)} 元`);
    }
    return amount;
  }

  private replay(earlier: WithdrawalEntity, amount: number): WithdrawalEntity {
    if (earlier.amount !== amount) {
      throw new ConflictException('Idempotency-Key 已用于另一笔不同金额的提现');
    }
    return earlier;
  }
}

/** Alipay's out_biz_no: W, the Beijing time, and 64 random bits (unique, not guessable). */
function newOutBizNo(now = new Date()): string {
  return `W${formatBeijingTime(now).replace(/\D/g, '')}${randomBytes(8).toString('hex')}`;
}
