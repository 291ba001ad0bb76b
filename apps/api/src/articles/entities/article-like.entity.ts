import { CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../../users/entities/user.entity.js';
import { ArticleEntity } from './article.entity.js';

/** One 点赞 per reader and article; the primary key makes a second one a no-op. */
@Entity('article_likes')
export class ArticleLikeEntity {
  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'article_likes_pkey' })
  articleId: number;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'article_likes_pkey' })
  userId: number;

  @ManyToOne(() => ArticleEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'article_id', foreignKeyConstraintName: 'article_likes_article_id_fkey' })
  article: ArticleEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'article_likes_user_id_fkey' })
  user: UserEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdTime: Date;
}
