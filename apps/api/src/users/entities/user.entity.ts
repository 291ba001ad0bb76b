import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { fenColumn } from '../../common/persistence/column-transformers.js';

/** The original's User, with money as integer fen that can never go below zero. */
@Entity('users')
@Check('users_money_non_negative', `"money" >= 0`)
export class UserEntity {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'users_pkey' })
  id: number;

  @Index('users_username_key', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  username: string;

  @Column({ type: 'varchar', length: 255, select: false })
  passwordHash: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  nickname: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  avatar: string | null;

  @Index('users_mobile_key', { unique: true })
  @Column({ type: 'varchar', length: 15, nullable: true })
  mobile: string | null;

  @Index('users_wechat_key', { unique: true })
  @Column({ type: 'varchar', length: 100, nullable: true })
  wechat: string | null;

  @Index('users_alipay_key', { unique: true })
  @Column({ type: 'varchar', length: 100, nullable: true })
  alipay: string | null;

  @Index('users_qq_number_key', { unique: true })
  @Column({ type: 'varchar', length: 11, nullable: true })
  qqNumber: string | null;

  /** Balance in fen; only ever changed by LedgerService in one SQL statement. */
  @Column({ type: 'bigint', default: 0, transformer: fenColumn })
  money: number;

  @Column({ type: 'boolean', default: false })
  isStaff: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdTime: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedTime: Date;
}
