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
import { fenColumn } from '../../database/column-transformers.js';
import { UserEntity } from '../../users/entities/user.entity.js';

/** `user` is a balance row in users; the others are outside the system (not balance rows). */
export const LEDGER_ACCOUNTS = ['user', 'alipay', 'grants'] as const;
export type LedgerAccount = (typeof LEDGER_ACCOUNTS)[number];

/**
 * One leg of a double-entry movement. The legs of a movement sum to zero; a user's balance
 * equals the sum of that user's legs. `entryKey` is unique, so the same movement (say, the
 * settlement of one order) can never be written twice.
 */
@Entity('ledger_entries')
@Check('ledger_entries_account_check', `"account" IN ('user', 'alipay', 'grants')`)
@Check('ledger_entries_user_leg_check', `("account" = 'user') = ("user_id" IS NOT NULL)`)
@Check('ledger_entries_amount_non_zero', `"amount" <> 0`)
@Index('ledger_entries_user_id_idx', ['userId'])
@Index('ledger_entries_movement_idx', ['movement'])
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

  @CreateDateColumn({ type: 'timestamptz' })
  createdTime: Date;
}
