import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { fenColumn } from '../../common/persistence/column-transformers.js';
import { UserEntity } from '../../users/entities/user.entity.js';

/**
 * `user` is a balance row in users; the others are outside the system (not balance rows).
 * `payouts` holds what authors withdrew (提现) to their own Alipay accounts.
 */
export const LEDGER_ACCOUNTS = ['user', 'alipay', 'grants', 'payouts'] as const;
export type LedgerAccount = (typeof LEDGER_ACCOUNTS)[number];

/**
 * One leg of a double-entry movement. The legs of a movement sum to zero; a user's balance
 * equals the sum of that user's legs. `entryKey` is unique, so the same movement (say, the
 * settlement of one order) can never be written twice.
 */
@Entity('ledger_entries')
@Check('ledger_entries_account_check', `"account" IN ('user', 'alipay', 'grants', 'payouts')`)
@Check('ledger_entries_user_leg_check', `("account" = 'user') = ("user_id" IS NOT NULL)`)
@Check('ledger_entries_amount_non_zero', `"amount" <> 0`)
@Check('ledger_entries_balance_after_check', `"account" = 'user' OR "balance_after" IS NULL`)
@Index('ledger_entries_user_id_id_idx', ['userId', 'id'])
@Index('ledger_entries_movement_idx', ['movement'])
// On (reward_id, movement) WHERE reward_id IS NOT NULL, also carrying (INCLUDE) amount,
// account, kind, refund_id and withdrawal_id for the ledger verification's streaming read,
// which TypeORM cannot describe: migration 1765000200000 owns its definition.
@Index('ledger_entries_reward_id_movement_idx', { synchronize: false })
@Index('ledger_entries_refund_id_idx', ['refundId'], { where: `"refund_id" IS NOT NULL` })
@Index('ledger_entries_withdrawal_id_idx', ['withdrawalId'], {
  where: `"withdrawal_id" IS NOT NULL`,
})
export class LedgerEntryEntity {
  @PrimaryGeneratedColumn('increment', {
    type: 'bigint',
    primaryKeyConstraintName: 'ledger_entries_pkey',
  })
  id: string;

  @Index('ledger_entries_entry_key_key', { unique: true })
  @Column({ type: 'varchar', length: 120 })
  entryKey: string;

  /** Groups the legs of one movement, e.g. `reward:42:settle`. */
  @Column({ type: 'varchar', length: 100 })
  movement: string;

  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ type: 'varchar', length: 16 })
  account: LedgerAccount;

  @Column({ type: 'integer', nullable: true })
  userId: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'ledger_entries_user_id_fkey' })
  user: UserEntity | null;

  /** Signed fen: positive credits the account, negative debits it. */
  @Column({ type: 'bigint', transformer: fenColumn })
  amount: number;

  /** User legs only: the user's balance right after this leg, in fen. */
  @Column({ type: 'bigint', nullable: true, transformer: fenColumn })
  balanceAfter: number | null;

  // What the movement is about; every leg of a movement carries the same references. The
  // relations exist for their foreign keys; their entities are named, not imported (not even
  // their types): payments builds on the ledger, not the other way round.
  @Column({ type: 'integer', nullable: true })
  rewardId: number | null;

  @ManyToOne('RewardEntity', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'reward_id', foreignKeyConstraintName: 'ledger_entries_reward_id_fkey' })
  reward: { id: number } | null;

  @Column({ type: 'integer', nullable: true })
  refundId: number | null;

  @ManyToOne('RefundEntity', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'refund_id', foreignKeyConstraintName: 'ledger_entries_refund_id_fkey' })
  refund: { id: number } | null;

  @Column({ type: 'integer', nullable: true })
  withdrawalId: number | null;

  @ManyToOne('WithdrawalEntity', { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'withdrawal_id',
    foreignKeyConstraintName: 'ledger_entries_withdrawal_id_fkey',
  })
  withdrawal: { id: number } | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdTime: Date;
}
