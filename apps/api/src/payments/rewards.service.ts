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
import { InvalidMoneyError, parseYuanToFen } from '@renran/money';
import { DataSource, Repository } from 'typeorm';
import { ArticlesService } from '../articles/articles.service.js';
import { InjectConfig } from '../common/app-config.module.js';
import { RateLimitService } from '../common/rate-limit/rate-limit.service.js';
import { runSql } from '../database/sql.js';
import type { UserEntity } from '../users/entities/user.entity.js';
import { AlipayClient } from './alipay/alipay.client.js';
import { rewardSubject } from './alipay/reward-subject.js';
import type { CreateRewardDto } from './dto/create-reward.dto.js';
import { type OrderWithArticle, toRewardResponse } from './dto/reward-responses.js';
import { RefundEntity } from './entities/refund.entity.js';
import { nextWatchAt } from './check-schedule.js';
import { PayType, RewardEntity, RewardStatus } from './entities/reward.entity.js';
import { CHECKED_STATUSES, ReconciliationService } from './reconciliation.service.js';
import { SettlementService } from './settlement.service.js';
import { newTradeNo } from './trade-no.js';

/** How soon a pending Alipay order is first asked about if no notification has come. */
const FIRST_CHECK_AFTER_MS = 60_000;

export type RewardResponse = ReturnType<typeof toRewardResponse>;

@Injectable()
export class RewardsService {
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectRepository(RewardEntity) private readonly rewards: Repository<RewardEntity>,
    @InjectRepository(RefundEntity) private readonly refunds: Repository<RefundEntity>,
    private readonly dataSource: DataSource,
    private readonly articles: ArticlesService,
    private readonly alipay: AlipayClient,
    private readonly settlement: SettlementService,
    private readonly reconciliation: ReconciliationService,
    private readonly rateLimits: RateLimitService,
  ) {}

  /**
   * POST /payments/alipay/. With an Idempotency-Key, a repeat of the same request (a double
   * click, a retried network call) answers the first order instead of making a second.
   */
  async createOrder(
    payer: UserEntity,
    dto: CreateRewardDto,
    idempotencyKey: string | undefined,
  ): Promise<{ order: RewardResponse; replayed: boolean }> {
    const money = this.parseAmount(dto.money);
    if (idempotencyKey) {
      const earlier = await this.rewards.findOneBy({ userId: payer.id, idempotencyKey });
      if (earlier) return { order: await this.replay(earlier, dto, money), replayed: true };
    }
    await this.rateLimits.consume('orders', String(payer.id));

    const article = await this.articles.getPublished(dto.article_id).catch((error: unknown) => {
      if (error instanceof NotFoundException) {
        throw new BadRequestException('文章不存在或尚未发布，无法打赏');
      }
      throw error;
    });
    if (article.userId === payer.id) {
      throw new BadRequestException('不能给自己的文章打赏');
    }

    const now = new Date();
    const draft = this.rewards.create({
      tradeNo: newTradeNo(now),
      userId: payer.id,
      articleId: article.id,
      authorId: article.userId,
      money,
      message: dto.message ?? null,
      anonymous: dto.anonymous ?? false,
      payType: dto.pay_type,
      status: RewardStatus.Pending,
      timeExpire: new Date(now.getTime() + this.config.rewardTimeoutMinutes * 60_000),
      nextCheckAt:
        dto.pay_type === PayType.Alipay ? new Date(now.getTime() + FIRST_CHECK_AFTER_MS) : null,
      idempotencyKey: idempotencyKey ?? null,
    });

    try {
      const reward =
        dto.pay_type === PayType.Balance
          ? await this.createPaidFromBalance(draft, now)
          : // One INSERT … RETURNING is atomic by itself: no BEGIN/COMMIT round trips around it.
            await this.rewards.save(draft, { transaction: false });
      return { order: this.present({ ...reward, article }), replayed: false };
    } catch (error) {
      if (idempotencyKey && isUniqueViolation(error, 'rewards_user_idempotency_key_key')) {
        // A concurrent request with the same key won the race: answer its order.
        const earlier = await this.rewards.findOneByOrFail({ userId: payer.id, idempotencyKey });
        return { order: await this.replay(earlier, dto, money), replayed: true };
      }
      throw error;
    }
  }

  /** The order if the user is its payer, its author or staff; otherwise 404 (no leak). */
  async getVisibleOrder(user: UserEntity, tradeNo: string): Promise<RewardResponse> {
    const reward = await this.findVisible(user, tradeNo);
    return this.present(reward, await this.refunds.findOneBy({ rewardId: reward.id }));
  }

  /**
   * GET /payments/alipay/result/: the browser's return from Alipay, forwarded by the site.
   * Only opens the result: a pending order is settled only if alipay.trade.query says paid.
   */
  async handleReturn(user: UserEntity, params: Record<string, string>): Promise<RewardResponse> {
    if (!this.alipay.verifySignature(params) || !params.out_trade_no) {
      throw new BadRequestException('支付结果签名无效');
    }
    const reward = await this.rewards.findOne({
      where: { tradeNo: params.out_trade_no, userId: user.id },
      relations: { article: true },
    });
    if (!reward) throw new NotFoundException('订单不存在');
    // A return for a cancelled or expired order means the reader paid after all: ask now.
    if (CHECKED_STATUSES.includes(reward.status) && reward.payType === PayType.Alipay) {
      await this.reconciliation.checkOrderAtAlipay(reward, 'return');
      return this.getVisibleOrder(user, reward.tradeNo);
    }
    return this.present(reward);
  }

  /** The payer cancels a pending order: the Alipay trade is closed first, then status 2. */
  async cancel(user: UserEntity, tradeNo: string): Promise<RewardResponse> {
    const reward = await this.rewards.findOne({
      where: { tradeNo, userId: user.id },
      relations: { article: true },
    });
    if (!reward) throw new NotFoundException('订单不存在');
    if (reward.status !== RewardStatus.Pending) {
      throw new ConflictException('只有未付款的订单可以取消');
    }
    const closing = await this.alipay.closeTrade(reward.tradeNo);
    if (closing.kind === 'unknown') {
      throw new ServiceUnavailableException('暂时无法向支付宝确认订单状态，请稍后再试');
    }
    if (closing.kind === 'failed' && closing.subCode !== 'ACQ.TRADE_NOT_EXIST') {
      // Most likely paid in the meantime: find out, and settle if so.
      await this.reconciliation.checkOrderAtAlipay(reward, 'query');
      throw new ConflictException('订单已在支付宝付款或已关闭，无法取消');
    }
    // Still watched: after ACQ.TRADE_NOT_EXIST the signed page-pay URL stays payable until
    // time_expire, and a payment made there must not be lost with its notice.
    const { rowCount } = await runSql(
      this.dataSource.manager,
      'UPDATE rewards SET status = $2, next_check_at = $4, updated_time = now() WHERE id = $1 AND status = $3',
      [
        reward.id,
        RewardStatus.Cancelled,
        RewardStatus.Pending,
        nextWatchAt(reward.timeExpire, new Date()),
      ],
    );
    if (rowCount === 0) throw new ConflictException('订单状态已变化，无法取消');
    return this.getVisibleOrder(user, tradeNo);
  }

  /** A fresh page-pay URL while the order can still be paid at Alipay. */
  payUrlFor(reward: OrderWithArticle): string | null {
    if (
      reward.payType !== PayType.Alipay ||
      reward.status !== RewardStatus.Pending ||
      reward.timeExpire.getTime() <= Date.now() ||
      !reward.article
    ) {
      return null;
    }
    return this.alipay.pagePayUrl({
      tradeNo: reward.tradeNo,
      amountFen: reward.money,
      subject: rewardSubject(reward.article.name),
      timeExpire: reward.timeExpire,
    });
  }

  present(reward: OrderWithArticle, refund: RefundEntity | null = null): RewardResponse {
    return toRewardResponse(reward, this.payUrlFor(reward), refund);
  }

  async findVisible(user: UserEntity, tradeNo: string): Promise<RewardEntity> {
    const reward = await this.rewards.findOne({ where: { tradeNo }, relations: { article: true } });
    if (!reward || !(reward.userId === user.id || reward.authorId === user.id || user.isStaff)) {
      throw new NotFoundException('订单不存在');
    }
    return reward;
  }

  /** Debit the payer and settle in the same transaction; 余额不足 rolls everything back. */
  private createPaidFromBalance(draft: RewardEntity, now: Date): Promise<RewardEntity> {
    return this.dataSource.transaction(async (manager) => {
      const reward = await manager.save(draft);
      const { reward: settled } = await this.settlement.settleWithin(manager, reward.id, {
        platformTradeNo: null,
        paidAt: now,
        source: 'balance',
      });
      return settled;
    });
  }

  private async replay(
    earlier: RewardEntity,
    dto: CreateRewardDto,
    money: number,
  ): Promise<RewardResponse> {
    if (
      earlier.articleId !== dto.article_id ||
      earlier.money !== money ||
      earlier.payType !== dto.pay_type
    ) {
      throw new ConflictException('Idempotency-Key 已用于另一笔不同的打赏');
    }
    const reward = await this.rewards.findOneOrFail({
      where: { id: earlier.id },
      relations: { article: true },
    });
    return this.present(reward);
  }

  private parseAmount(input: string | number): number {
    try {
      return parseYuanToFen(input, this.config.rewardMaxFen);
    } catch (error) {
      if (error instanceof InvalidMoneyError)
        throw new BadRequestException(`money ${error.message}`);
      throw error;
    }
  }
}
