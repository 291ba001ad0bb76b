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
import { UserEntity } from '../../users/entities/user.entity.js';

@Entity('articles')
@Check(
  'articles_counts_non_negative',
  `"read_count" >= 0 AND "like_count" >= 0 AND "reward_count" >= 0`,
)
@Index('articles_public_idx', ['isPublic', 'id'])
@Index('articles_user_id_idx', ['userId'])
export class ArticleEntity {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'articles_pkey' })
  id: number;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** Markdown as the author wrote it. */
  @Column({ type: 'text' })
  content: string;

  /** Sanitized HTML rendered from `content` on every write; safe to show as is. */
  @Column({ type: 'text' })
  render: string;

  @Column({ type: 'integer', default: 0 })
  wordCount: number;

  @Column({ type: 'integer', default: 0 })
  readCount: number;

  @Column({ type: 'integer', default: 0 })
  likeCount: number;

  /** Paid, not refunded tips; kept by the payments settlement in the same transaction. */
  @Column({ type: 'integer', default: 0 })
  rewardCount: number;

  @Column({ type: 'boolean', default: true })
  isPublic: boolean;

  @Column({ type: 'integer' })
  userId: number;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'articles_user_id_fkey' })
  user: UserEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdTime: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedTime: Date;
}
