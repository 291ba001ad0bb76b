import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { ArticleEntity } from '../../articles/entities/article.entity.js';
import { fenColumn } from '../../common/persistence/column-transformers.js';
import { UserEntity } from '../../users/entities/user.entity.js';

export enum PayType {
  Alipay = 0,
  Balance = 1,
}

/**
 * The Alipay product that takes the payment: 电脑网站支付 (page), 手机网站支付 (wap) or
 * 当面付扫码 (qr, alipay.trade.precreate). Balance payments have none.
 */
export const PAY_CHANNELS = ['page', 'wap', 'qr'] as const;
export type PayChannel = (typeof PAY_CHANNELS)[number];

export enum RewardStatus {
  Pending = 0,
  Paid = 1,
  Cancelled = 2,
  Expired = 3,
  Refunded = 4,
}

export const REWARD_STATUS_TEXT: Record<RewardStatus, string> = {
  [RewardStatus.Pending]: '未付款',
  [RewardStatus.Paid]: '已付款',
  [RewardStatus.Cancelled]: '已取消',
  [RewardStatus.Expired]: '超时取消',
  [RewardStatus.Refunded]: '已退款',
};

/** A tip from a reader (user) to an article's author: the seed's Reward model, completed. */
@Entity('rewards')
@Check('rewards_money_positive', `"money" > 0`)
@Check('rewards_pay_type_check', `"pay_type" IN (0, 1)`)
@Check('rewards_status_check', `"status" BETWEEN 0 AND 4`)
@Check(
  'rewards_channel_check',
  `("pay_type" = 1 AND "channel" IS NULL) OR ("pay_type" = 0 AND "channel" IN ('page', 'wap', 'qr'))`,
)
@Check('rewards_qr_code_check', `"qr_code" IS NULL OR "channel" = 'qr'`)
@Index('rewards_user_id_idx', ['userId', 'id'])
@Index('rewards_author_id_idx', ['authorId', 'id'])
@Index('rewards_article_status_id_idx', ['articleId', 'status', 'id'])
@Index('rewards_status_id_idx', ['status', 'id'])
// An author's received tips (the wallet), newest paid first: see the 1765000100000 migration.
@Index('rewards_received_idx', ['authorId', 'paidAt', 'id'], { where: `"status" IN (1, 4)` })
@Index('rewards_check_due_idx', ['nextCheckAt'], { where: `"next_check_at" IS NOT NULL` })
@Index('rewards_user_idempotency_key_key', ['userId', 'idempotencyKey'], { unique: true })
export class RewardEntity {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'rewards_pkey' })
  id: number;

  /** Ours, sent to Alipay as out_trade_no: unguessable, ≤ 64 of [A-Za-z0-9_]. */
  @Index('rewards_trade_no_key', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  tradeNo: string;

  /** The payer. */
  @Column({ type: 'integer' })
  userId: number;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'rewards_user_id_fkey' })
  user: UserEntity;

  @Column({ type: 'integer' })
  articleId: number;

  @ManyToOne(() => ArticleEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'article_id', foreignKeyConstraintName: 'rewards_article_id_fkey' })
  article: ArticleEntity;

  /** The article's author when the order was made: the account settlement credits. */
  @Column({ type: 'integer' })
  authorId: number;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'rewards_author_id_fkey' })
  author: UserEntity;

  @Column({ type: 'bigint', transformer: fenColumn })
  money: number;

  /** Stored raw, always rendered escaped. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  message: string | null;

  @Column({ type: 'boolean', default: false })
  anonymous: boolean;

  @Column({ type: 'smallint' })
  payType: PayType;

  /** How an Alipay order is paid; null for a balance payment. */
  @Column({ type: 'varchar', length: 8, nullable: true })
  channel: PayChannel | null;

  /** The code text alipay.trade.precreate answered for a qr order (drawn as a QR image). */
  @Column({ type: 'varchar', length: 512, nullable: true })
  qrCode: string | null;

  @Column({ type: 'smallint', default: RewardStatus.Pending })
  status: RewardStatus;

  /** Alipay's trade_no, known once paid. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  platformTradeNo: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  paidAt: Date | null;

  /** After this an unpaid order is closed at Alipay and marked expired. */
  @Column({ type: 'timestamptz' })
  timeExpire: Date;

  /**
   * When reconciliation next asks Alipay about this order: while pending, and while a
   * cancelled or expired one is still watched (until time_expire + 10 minutes).
   */
  @Column({ type: 'timestamptz', nullable: true })
  nextCheckAt: Date | null;

  @Column({ type: 'integer', default: 0 })
  checkAttempts: number;

  /** The payer's Idempotency-Key header: a repeat of the request answers this order. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  idempotencyKey: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdTime: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedTime: Date;
}
