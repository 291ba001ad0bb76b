import {
  BadGatewayException,
  BadRequestException,
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { AppConfig } from '@renran/config';
import { isUniqueViolation } from '@renran/database';
import { fenFromDatabase, InvalidMoneyError, parseYuanToFen } from '@renran/money';
import { DataSource, type EntityManager, Repository } from 'typeorm';
import { ArticlesService } from '../articles/articles.service.js';
import { InjectConfig } from '../common/app-config.module.js';
import { RateLimitService } from '../common/rate-limit/rate-limit.service.js';
import { AfterCommitEvents } from '../common/persistence/after-commit-events.js';
import { type PreparedStatement, runPrepared } from '../common/persistence/prepared-sql.js';
import { runSql } from '../common/persistence/sql.js';
import type { UserEntity } from '../users/entities/user.entity.js';
import { AlipayClient } from './alipay/alipay.client.js';
import { decidePrecreate } from './alipay/precreate-decision.js';
import { rewardSubject } from './alipay/reward-subject.js';
import type { CreateRewardDto } from './dto/create-reward.dto.js';
import { type OrderWithArticle, toRewardResponse } from './dto/reward-responses.js';
import { RefundEntity } from './entities/refund.entity.js';
import { nextWatchAt } from './check-schedule.js';
import { type PayChannel, PayType, RewardEntity, RewardStatus } from './entities/reward.entity.js';
import { CHECKED_STATUSES, ReconciliationService } from './reconciliation.service.js';
import { SettlementService } from './settlement.service.js';
import { newTradeNo } from './trade-no.js';

/** How soon a pending Alipay order is first asked about if no notification has come. */
const FIRST_CHECK_AFTER_MS = 60_000;

/**
 * A new order's one INSERT, prepared (every order runs it). Only what the database makes is
 * read back: the columns left to their defaults are known (see `insertOrder`).
 */
const INSERT_ORDER: PreparedStatement = {
  name: 'rewards_insert_order',
  text: `INSERT INTO rewards (trade_no, user_id, article_id, author_id, money, message, anonymous,
                          pay_type, channel, qr_code, status, time_expire, next_check_at,
                          idempotency_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         RETURNING id, created_time AS "createdTime"`,
};

/**
 * The order an Idempotency-Key already names, with what a replay compares (the site sends a
 * key with every order, so every order from it runs this first).
 */
const ORDER_BY_IDEMPOTENCY_KEY: PreparedStatement = {
  name: 'rewards_by_idempotency_key',
  text: `SELECT id, article_id AS "articleId", money, pay_type AS "payType", channel
           FROM rewards WHERE user_id = $1 AND idempotency_key = $2`,
};

/** What a replay compares with the repeated request. */
type EarlierOrder = Pick<RewardEntity, 'id' | 'articleId' | 'money' | 'payType' | 'channel'>;

/** A new order's fields, before the database gives it an id and its times. */
type OrderDraft = Omit<
  RewardEntity,
  | 'id'
  | 'user'
  | 'article'
  | 'author'
  | 'platformTradeNo'
  | 'paidAt'
  | 'checkAttempts'
  | 'createdTime'
  | 'updatedTime'
>;

export type RewardResponse = ReturnType<typeof toRewardResponse>;

@Injectable()
export class RewardsService {
  private readonly logger = new Logger(RewardsService.name);

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectRepository(RewardEntity) private readonly rewards: Repository<RewardEntity>,
    @InjectRepository(RefundEntity) private readonly refunds: Repository<RefundEntity>,
    private readonly dataSource: DataSource,
    private readonly events: AfterCommitEvents,
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
    const channel = this.channelOf(dto);
    if (idempotencyKey) {
      const earlier = await this.findByIdempotencyKey(payer.id, idempotencyKey);
      if (earlier) {
        return { order: await this.replay(earlier, dto, money, channel), replayed: true };
      }
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
    const draft: OrderDraft = {
      tradeNo: newTradeNo(now),
      userId: payer.id,
      articleId: article.id,
      authorId: article.userId,
      money,
      message: dto.message ?? null,
      anonymous: dto.anonymous ?? false,
      payType: dto.pay_type,
      channel,
      qrCode: null,
      status: RewardStatus.Pending,
      timeExpire: new Date(now.getTime() + this.config.rewardTimeoutMinutes * 60_000),
      nextCheckAt:
        dto.pay_type === PayType.Alipay ? new Date(now.getTime() + FIRST_CHECK_AFTER_MS) : null,
      idempotencyKey: idempotencyKey ?? null,
    };

    let reward: RewardEntity;
    try {
      reward =
        dto.pay_type === PayType.Balance
          ? await this.createPaidFromBalance(draft, now)
          : // One INSERT … RETURNING is atomic by itself: no BEGIN/COMMIT round trips around it.
            await this.insertOrder(this.dataSource, draft);
    } catch (error) {
      if (idempotencyKey && isUniqueViolation(error, 'rewards_user_idempotency_key_key')) {
        // A concurrent request with the same key won the race: answer its order.
        const earlier = await this.findByIdempotencyKey(payer.id, idempotencyKey);
        if (!earlier) throw error;
        return { order: await this.replay(earlier, dto, money, channel), replayed: true };
      }
      throw error;
    }
    const order = { ...reward, article };
    // Saved first, so that whatever precreate's outcome the order is on the query ladder.
    if (order.channel === 'qr') await this.precreate(order);
    return { order: this.present(order), replayed: false };
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

  /** A fresh page-pay or wap-pay URL while the order can still be paid at Alipay. */
  payUrlFor(reward: OrderWithArticle): string | null {
    if (!this.payable(reward) || !reward.article) return null;
    const order = {
      tradeNo: reward.tradeNo,
      amountFen: reward.money,
      subject: rewardSubject(reward.article.name),
      timeExpire: reward.timeExpire,
    };
    switch (reward.channel) {
      case 'page':
        return this.alipay.pagePayUrl(order);
      case 'wap':
        return this.alipay.wapPayUrl({ ...order, quitUrl: this.articleUrl(reward.articleId) });
      case 'qr':
      case null:
        return null;
    }
  }

  present(reward: OrderWithArticle, refund: RefundEntity | null = null): RewardResponse {
    const qrCode = reward.channel === 'qr' && this.payable(reward) ? reward.qrCode : null;
    return toRewardResponse(reward, this.payUrlFor(reward), refund, qrCode);
  }

  async findVisible(user: UserEntity, tradeNo: string): Promise<RewardEntity> {
    const reward = await this.rewards.findOne({ where: { tradeNo }, relations: { article: true } });
    if (!reward || !(reward.userId === user.id || reward.authorId === user.id || user.isStaff)) {
      throw new NotFoundException('订单不存在');
    }
    return reward;
  }

  /** Debit the payer and settle in the same transaction; 余额不足 rolls everything back. */
  private createPaidFromBalance(draft: OrderDraft, now: Date): Promise<RewardEntity> {
    return this.events.transaction(async (manager) => {
      const reward = await this.insertOrder(manager, draft);
      const { reward: settled } = await this.settlement.settleWithin(manager, reward.id, {
        platformTradeNo: null,
        paidAt: now,
        source: 'balance',
      });
      return settled;
    });
  }

  /** Inserts the order and answers it whole, as `save` would, without reading it back. */
  private async insertOrder(
    on: DataSource | EntityManager,
    draft: OrderDraft,
  ): Promise<RewardEntity> {
    const [{ id, createdTime }] = await runPrepared<{ id: number; createdTime: Date }>(
      on,
      INSERT_ORDER,
      [
        draft.tradeNo,
        draft.userId,
        draft.articleId,
        draft.authorId,
        draft.money,
        draft.message,
        draft.anonymous,
        draft.payType,
        draft.channel,
        draft.qrCode,
        draft.status,
        draft.timeExpire,
        draft.nextCheckAt,
        draft.idempotencyKey,
      ],
    );
    // The columns left to their defaults: nothing paid yet, never checked, and updated_time
    // is created_time (both now(), the statement's transaction time).
    return Object.assign(new RewardEntity(), draft, {
      id,
      platformTradeNo: null,
      paidAt: null,
      checkAttempts: 0,
      createdTime,
      updatedTime: createdTime,
    });
  }

  private async findByIdempotencyKey(
    userId: number,
    idempotencyKey: string,
  ): Promise<EarlierOrder | null> {
    const [row] = await runPrepared<Omit<EarlierOrder, 'money'> & { money: string }>(
      this.dataSource,
      ORDER_BY_IDEMPOTENCY_KEY,
      [userId, idempotencyKey],
    );
    return row ? { ...row, money: fenFromDatabase(row.money) } : null;
  }

  private async replay(
    earlier: EarlierOrder,
    dto: CreateRewardDto,
    money: number,
    channel: PayChannel | null,
  ): Promise<RewardResponse> {
    if (
      earlier.articleId !== dto.article_id ||
      earlier.money !== money ||
      earlier.payType !== dto.pay_type
    ) {
      throw new ConflictException('Idempotency-Key 已用于另一笔不同的打赏');
    }
    if (earlier.channel !== channel) {
      throw new ConflictException('Idempotency-Key 已用于另一种支付方式的同一笔打赏');
    }
    const reward = await this.rewards.findOneOrFail({
      where: { id: earlier.id },
      relations: { article: true },
    });
    // The first precreate's outcome was unknown: asking again for the same out_trade_no is
    // safe (Alipay answers the trade it already made) and gives the reader the code.
    if (reward.channel === 'qr' && reward.qrCode === null && this.payable(reward)) {
      await this.precreate(reward);
    }
    return this.present(reward);
  }

  /**
   * Asks Alipay for the order's QR code while the reader waits. Stores the code; a definite
   * refusal cancels the order (no trade exists at Alipay) and answers 502; an unknown outcome
   * leaves the order pending, where the query ladder finds out what became of it, and answers
   * 503.
   */
  private async precreate(reward: OrderWithArticle): Promise<void> {
    const decision = decidePrecreate(
      await this.alipay.precreate({
        tradeNo: reward.tradeNo,
        amountFen: reward.money,
        subject: rewardSubject(reward.article?.name ?? ''),
        timeExpire: reward.timeExpire,
      }),
      reward.tradeNo,
    );
    switch (decision.action) {
      case 'show':
        await runSql(
          this.dataSource.manager,
          'UPDATE rewards SET qr_code = $2, updated_time = now() WHERE id = $1',
          [reward.id, decision.qrCode],
        );
        reward.qrCode = decision.qrCode;
        return;
      case 'refused':
        await runSql(
          this.dataSource.manager,
          'UPDATE rewards SET status = $2, next_check_at = NULL, updated_time = now() WHERE id = $1 AND status = $3',
          [reward.id, RewardStatus.Cancelled, RewardStatus.Pending],
        );
        this.logger.warn(`precreate ${reward.tradeNo} refused: ${decision.reason}`);
        throw new BadGatewayException('支付宝拒绝了扫码支付订单，订单已取消，请换一种支付方式');
      case 'unknown':
        this.logger.warn(`precreate ${reward.tradeNo}: unknown outcome (${decision.reason})`);
        throw new ServiceUnavailableException(
          '暂时无法从支付宝取得付款码，订单保留待确认，请稍后用同一请求重试',
        );
    }
  }

  /** 400 for a channel on a balance payment; Alipay orders default to page pay. */
  private channelOf(dto: CreateRewardDto): PayChannel | null {
    if (dto.pay_type === PayType.Balance) {
      if (dto.channel !== undefined) {
        throw new BadRequestException('channel 只适用于支付宝付款（pay_type 0）');
      }
      return null;
    }
    return dto.channel ?? 'page';
  }

  private payable(reward: OrderWithArticle): boolean {
    return (
      reward.payType === PayType.Alipay &&
      reward.status === RewardStatus.Pending &&
      reward.timeExpire.getTime() > Date.now()
    );
  }

  /** The article page on the site, where a reader who quits Alipay's phone cashier lands. */
  private articleUrl(articleId: number): string {
    return new URL(`/p/${articleId}`, this.config.alipay.returnUrl).href;
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
