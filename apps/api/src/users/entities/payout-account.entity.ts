import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { UserEntity } from './user.entity.js';

/**
 * Where an author's withdrawals (提现) are paid: an Alipay logon id (phone or e-mail) and the
 * real name Alipay checks it against. One per user, changed only with the current password.
 * A table of its own rather than `users.alipay`: that column is unique (two authors of one
 * household could not share an account), has no room for the name, and every read of a user
 * would carry it.
 */
@Entity('payout_accounts')
export class PayoutAccountEntity {
  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'payout_accounts_pkey' })
  userId: number;

  @OneToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'payout_accounts_user_id_fkey' })
  user: UserEntity;

  @Column({ type: 'varchar', length: 40 })
  realName: string;

  /** Alipay logon id: a mainland mobile number or an e-mail address. */
  @Column({ type: 'varchar', length: 100 })
  alipayAccount: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedTime: Date;
}
