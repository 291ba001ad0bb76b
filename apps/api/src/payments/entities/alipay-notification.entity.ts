import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/**
 * A verified notification from Alipay (forged ones are never stored). Resends keep their
 * notify_id, so each notice is one row counting its deliveries.
 */
@Entity('alipay_notifications')
@Index('alipay_notifications_out_trade_no_idx', ['outTradeNo'])
@Index('alipay_notifications_outcome_idx', ['outcome', 'id'])
export class AlipayNotificationEntity {
  @PrimaryGeneratedColumn('increment', {
    type: 'bigint',
    primaryKeyConstraintName: 'alipay_notifications_pkey',
  })
  id: string;

  @Index('alipay_notifications_notify_id_key', { unique: true })
  @Column({ type: 'varchar', length: 128 })
  notifyId: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  outTradeNo: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  tradeStatus: string | null;

  /** Every field as received (after dropping empty values). */
  @Column({ type: 'jsonb' })
  payload: Record<string, string>;

  /** What we did with it, e.g. settled, already_settled, amount_mismatch. */
  @Column({ type: 'varchar', length: 32 })
  outcome: string;

  @Column({ type: 'integer', default: 1 })
  deliveries: number;

  /** When each delivery arrived (rows older than this column keep only first and last). */
  @Column({ type: 'timestamptz', array: true })
  deliveredAt: Date[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdTime: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedTime: Date;
}
