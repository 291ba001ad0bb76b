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
import { UserEntity } from '../../users/entities/user.entity.js';

/** DESIGN.md "Author income": 3 and 4 give the reserve back; 2 is final with nothing more. */
export enum WithdrawalStatus {
  Pending = 0,
  Processing = 1,
  Succeeded = 2,
  Failed = 3,
  Rejected = 4,
}

/**
 * An author's request to take money out of the balance to Alipay (提现). The amount is
 * reserved (debited through the ledger) when the row is made; the payee is a copy of the
 * payout account at that moment, so a later change of account never redirects it.
 */
@Entity('withdrawals')
@Check('withdrawals_amount_positive', `"amount" > 0`)
@Check('withdrawals_status_check', `"status" IN (0, 1, 2, 3, 4)`)
@Index('withdrawals_user_id_idx', ['userId', 'id'])
@Index('withdrawals_status_idx', ['status', 'id'])
@Index('withdrawals_check_due_idx', ['nextCheckAt'], { where: `"status" = 1` })
@Index('withdrawals_user_idempotency_key_key', ['userId', 'idempotencyKey'], { unique: true })
export class WithdrawalEntity {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'withdrawals_pkey' })
  id: number;

  @Column({ type: 'integer' })
  userId: number;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'withdrawals_user_id_fkey' })
  user: UserEntity;

  @Column({ type: 'bigint', transformer: fenColumn })
  amount: number;

  @Column({ type: 'smallint', default: WithdrawalStatus.Pending })
  status: WithdrawalStatus;

  /** Alipay's out_biz_no: one per withdrawal, sent again on every retry (moves money once). */
  @Index('withdrawals_out_biz_no_key', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  outBizNo: string;

  @Column({ type: 'varchar', length: 40 })
  payeeName: string;

  @Column({ type: 'varchar', length: 100 })
  payeeAccount: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  idempotencyKey: string | null;

  /** The staff user who approved or rejected it; null while pending or when auto-approved. */
  @Column({ type: 'integer', nullable: true })
  reviewedBy: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  rejectReason: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  failureReason: string | null;

  /** Alipay's order_id of the transfer, once known. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  platformOrderId: string | null;

  /** When the first transfer was sent; the query ladder counts from here. */
  @Column({ type: 'timestamptz', nullable: true })
  transferStartedAt: Date | null;

  /** Processing only: when to ask Alipay about the transfer (a claim's lease while asked). */
  @Column({ type: 'timestamptz', nullable: true })
  nextCheckAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedTime: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdTime: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedTime: Date;
}
