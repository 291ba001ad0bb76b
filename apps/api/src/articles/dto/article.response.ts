import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI shapes of the article routes; the mapping functions in article-responses.ts return them. */
export class AuthorResponse {
  @ApiProperty({ example: 1 })
  id: number;

  @ApiProperty({ example: '荏苒' })
  nickname: string;

  @ApiProperty({ type: String, nullable: true })
  avatar: string | null;
}

export class ArticleAuthorResponse extends AuthorResponse {
  @ApiProperty({ description: "the author's balance in yuan (总资产)", example: '128.00' })
  money: string;
}

export class ArticleSummaryResponse {
  @ApiProperty({ example: 1 })
  id: number;

  @ApiProperty({ example: '告别平庸的15个小方法' })
  name: string;

  @ApiProperty({ description: 'plain text from the start of the article' })
  summary: string;

  @ApiProperty()
  word_count: number;

  @ApiProperty()
  read_count: number;

  @ApiProperty()
  like_count: number;

  @ApiProperty()
  reward_count: number;

  @ApiProperty({ type: String, format: 'date-time' })
  created_time: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updated_time: Date;

  @ApiProperty({ type: () => AuthorResponse })
  user: AuthorResponse;
}

export class ArticlePageResponse {
  @ApiProperty({ type: () => [ArticleSummaryResponse] })
  items: ArticleSummaryResponse[];

  @ApiProperty()
  total: number;

  @ApiProperty()
  page: number;

  @ApiProperty()
  page_size: number;
}

export class ArticleDetailResponse {
  @ApiProperty({ example: 1 })
  id: number;

  @ApiProperty()
  name: string;

  @ApiProperty({ description: 'HTML rendered from the Markdown and sanitized' })
  render: string;

  @ApiProperty()
  word_count: number;

  @ApiProperty()
  read_count: number;

  @ApiProperty()
  like_count: number;

  @ApiProperty()
  reward_count: number;

  @ApiProperty()
  is_public: boolean;

  @ApiProperty({ type: String, format: 'date-time' })
  created_time: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updated_time: Date;

  @ApiProperty({ type: () => ArticleAuthorResponse })
  user: ArticleAuthorResponse;
}

/** What the author gets back after writing: includes the Markdown source. */
export class OwnArticleResponse {
  @ApiProperty({ example: 1 })
  id: number;

  @ApiProperty()
  name: string;

  @ApiProperty({ description: 'Markdown' })
  content: string;

  @ApiProperty({ description: 'sanitized HTML' })
  render: string;

  @ApiProperty()
  word_count: number;

  @ApiProperty()
  is_public: boolean;

  @ApiProperty()
  user_id: number;

  @ApiProperty({ type: String, format: 'date-time' })
  created_time: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updated_time: Date;
}

export class ArticlePreviewResponse {
  @ApiProperty({ description: 'sanitized HTML' })
  render: string;

  @ApiProperty()
  word_count: number;
}

export class ArticleLikeResponse {
  @ApiProperty({ description: 'true: the reader likes it now (liking twice is no error)' })
  liked: boolean;

  @ApiProperty()
  like_count: number;
}
