import { formatFen } from '@renran/money';
import { displayName } from '../../users/dto/user-responses.js';
import type { UserEntity } from '../../users/entities/user.entity.js';
import type { ArticleEntity } from '../entities/article.entity.js';
import type {
  ArticleDetailResponse,
  ArticleSummaryResponse,
  AuthorResponse,
  OwnArticleResponse,
} from './article.response.js';

type Author = Pick<UserEntity, 'id' | 'username' | 'nickname' | 'avatar'>;

const author = (user: Author): AuthorResponse => ({
  id: user.id,
  nickname: displayName(user),
  avatar: user.avatar,
});

type SummaryFields =
  | 'id'
  | 'name'
  | 'wordCount'
  | 'readCount'
  | 'likeCount'
  | 'rewardCount'
  | 'createdTime'
  | 'updatedTime';

export function toArticleSummary(
  article: Pick<ArticleEntity, SummaryFields> & { user: Author },
  summary: string,
): ArticleSummaryResponse {
  return {
    id: article.id,
    name: article.name,
    summary,
    word_count: article.wordCount,
    read_count: article.readCount,
    like_count: article.likeCount,
    reward_count: article.rewardCount,
    created_time: article.createdTime,
    updated_time: article.updatedTime,
    user: author(article.user),
  };
}

type DetailFields =
  | 'id'
  | 'name'
  | 'render'
  | 'wordCount'
  | 'readCount'
  | 'likeCount'
  | 'rewardCount'
  | 'isPublic'
  | 'createdTime'
  | 'updatedTime';

export function toArticleDetail(
  article: Pick<ArticleEntity, DetailFields>,
  user: Author & Pick<UserEntity, 'money'>,
): ArticleDetailResponse {
  return {
    id: article.id,
    name: article.name,
    render: article.render,
    word_count: article.wordCount,
    read_count: article.readCount,
    like_count: article.likeCount,
    reward_count: article.rewardCount,
    is_public: article.isPublic,
    created_time: article.createdTime,
    updated_time: article.updatedTime,
    user: { ...author(user), money: formatFen(user.money) },
  };
}

/** What the author gets back after writing: includes the Markdown source. */
export function toOwnArticle(article: ArticleEntity): OwnArticleResponse {
  return {
    id: article.id,
    name: article.name,
    content: article.content,
    render: article.render,
    word_count: article.wordCount,
    is_public: article.isPublic,
    user_id: article.userId,
    created_time: article.createdTime,
    updated_time: article.updatedTime,
  };
}
