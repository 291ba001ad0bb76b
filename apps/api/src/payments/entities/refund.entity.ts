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
import { fenColumn } from '../../common/persistence/column-transformers.js';
import { RewardEntity } from './reward.entity.js';

export type RefundStatus = 'pending' | 'succeeded' | 'failed';

/**
 * A full refund of one paid tip (at most one per order). Created pending with the author's
 * money reserved in the ledger; Alipay's answer then confirms it or reverses the reserve.
 * An external refund (made outside the system) is booked succeeded from its notice.
 */
@Entity('refunds')
@Check('refunds_status_check', `"status" IN ('pending', 'succeeded', 'failed')`)
@Check('refunds_amount_positive', `"amount" > 0`)
@Check('refunds_requested_by_check', `"external" OR "requested_by" IS NOT NULL`)
@Index('refunds_pending_check_idx', ['nextCheckAt'], { where: `"status" = 'pending'` })
export class RefundEntity {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'refunds_pkey' })
  id: number;

  @Index('refunds_reward_id_key', { unique: true })
  @Column({ type: 'integer' })
  rewardId: number;

  @ManyToOne(() => RewardEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'reward_id', foreignKeyConstraintName: 'refunds_reward_id_fkey' })
  reward: RewardEntity;

  /** Sent to Alipay; a retry of the same refund reuses it, so money moves at most once. */
  @Index('refunds_out_request_no_key', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  outRequestNo: string;

  @Column({ type: 'bigint', transformer: fenColumn })
  amount: number;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: RefundStatus;

  /** Counts reserve/reverse rounds, so each round's ledger movement has its own key. */
  @Column({ type: 'integer', default: 1 })
  attempt: number;

  @Column({ type: 'timestamptz', nullable: true })
  nextCheckAt: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  failureReason: string | null;

  /** The staff user who asked for it; null for an external refund. */
  @Column({ type: 'integer', nullable: true })
  requestedBy: number | null;

  /**
   * Made outside the system (Alipay's merchant console) and booked from a verified notice:
   * created succeeded, never sent to Alipay by us.
   */
  @Column({ type: 'boolean', default: false })
  external: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdTime: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedTime: Date;
}
