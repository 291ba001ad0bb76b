import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import sanitizeHtml from 'sanitize-html';
import { DataSource, Repository, type EntityManager } from 'typeorm';
import { AfterCommitEvents } from '../common/persistence/after-commit-events.js';
import { runSql } from '../common/persistence/sql.js';
import type { UserEntity } from '../users/entities/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { ArticlesChanged } from './articles.events.js';
import type { CreateArticleDto, UpdateArticleDto } from './dto/article.dto.js';
import { toArticleDetail, toArticleSummary } from './dto/article-responses.js';
import { ArticleEntity } from './entities/article.entity.js';
import { renderMarkdown } from './markdown-renderer.js';
import { PublicArticleCache } from './public-article-cache.js';
import { ReadCountsService } from './read-counts.service.js';

const SUMMARY_LENGTH = 120;
/** Summaries kept (the oldest goes first when full); a list page shows at most 50. */
const SUMMARY_CACHE_SIZE = 200;

/** An article's row joined with its author's, as the public queries select it. */
interface PublicArticleRow {
  id: number;
  name: string;
  render: string;
  word_count: number;
  read_count: number;
  like_count: number;
  reward_count: number;
  user_id: number;
  created_time: Date;
  updated_time: Date;
  author_username: string;
  author_nickname: string | null;
  author_avatar: string | null;
}

interface DetailRow extends PublicArticleRow {
  is_public: boolean;
  /** The author's balance in fen, from UsersService (the ledger alone writes it). */
  author_money: number;
}

interface ListRow extends PublicArticleRow {
  total: string;
}

@Injectable()
export class ArticlesService {
  /** Article id → the rendered HTML a summary was made from, and the summary. */
  private readonly summaries = new Map<number, { render: string; summary: string }>();

  constructor(
    @InjectRepository(ArticleEntity) private readonly articles: Repository<ArticleEntity>,
    private readonly dataSource: DataSource,
    private readonly readCounts: ReadCountsService,
    private readonly cache: PublicArticleCache,
    private readonly events: AfterCommitEvents,
    private readonly users: UsersService,
  ) {}

  /** One page of published articles, newest first, and how many there are: one query. */
  async listPublic(page: number, pageSize: number) {
    const { rows, total } = await this.cache.get(`list:${page}:${pageSize}`, () =>
      this.loadListPage(page, pageSize),
    );
    return {
      items: rows.map((row) =>
        toArticleSummary(
          {
            id: row.id,
            name: row.name,
            wordCount: row.word_count,
            readCount: row.read_count + this.readCounts.unwritten(row.id),
            likeCount: row.like_count,
            rewardCount: row.reward_count,
            createdTime: row.created_time,
            updatedTime: row.updated_time,
            user: {
              id: row.user_id,
              username: row.author_username,
              nickname: row.author_nickname,
              avatar: row.author_avatar,
            },
          },
          row.summary,
        ),
      ),
      total,
      page,
      page_size: pageSize,
    };
  }

  /** A page of the list as it is cached: each article's summary, not its whole HTML. */
  private async loadListPage(page: number, pageSize: number) {
    const rows: ListRow[] = await this.dataSource.query(
      `SELECT a.id, a.name, a.render, a.word_count, a.read_count, a.like_count, a.reward_count,
              a.created_time, a.updated_time, a.user_id, u.username AS author_username,
              u.nickname AS author_nickname, u.avatar AS author_avatar, count(*) OVER () AS total
         FROM articles a JOIN users u ON u.id = a.user_id
        WHERE a.is_public
        ORDER BY a.id DESC
        LIMIT $1 OFFSET $2`,
      [pageSize, (page - 1) * pageSize],
    );
    // Past the last page there is no row to carry the total.
    const total =
      rows.length > 0 ? Number(rows[0].total) : await this.articles.countBy({ isPublic: true });
    return {
      rows: rows.map(({ render, total: _total, ...row }) => ({
        ...row,
        summary: this.summaryOf({ id: row.id, render }),
      })),
      total,
    };
  }

  async create(author: UserEntity, dto: CreateArticleDto): Promise<ArticleEntity> {
    const { render, wordCount } = renderMarkdown(dto.content);
    const article = await this.articles.save(
      this.articles.create({
        name: dto.name.trim(),
        content: dto.content,
        render,
        wordCount,
        isPublic: dto.is_public ?? true,
        userId: author.id,
      }),
    );
    this.events.publish(this.articles.manager, new ArticlesChanged([article.id]));
    return article;
  }

  async update(author: UserEntity, id: number, dto: UpdateArticleDto): Promise<ArticleEntity> {
    const article = await this.articles.findOneBy({ id });
    if (!article) throw new NotFoundException('文章不存在');
    if (article.userId !== author.id) throw new ForbiddenException('只能修改自己的文章');
    if (dto.name !== undefined) article.name = dto.name.trim();
    if (dto.content !== undefined) {
      const { render, wordCount } = renderMarkdown(dto.content);
      Object.assign(article, { content: dto.content, render, wordCount });
    }
    if (dto.is_public !== undefined) article.isPublic = dto.is_public;
    const saved = await this.articles.save(article);
    this.events.publish(this.articles.manager, new ArticlesChanged([id]));
    return saved;
  }

  /**
   * The public article page's data. Counts the read (ReadCountsService: in memory, written
   * once a second, so readers of a popular article do not queue on its row), and answers 404
   * for a missing or unpublished article. `countRead: false` for a page that counts itself.
   */
  async readPublished(id: number, { countRead = true }: { countRead?: boolean } = {}) {
    const row = countRead
      ? await this.readCounts.countRead(id, () => this.publishedRow(id))
      : await this.publishedRow(id).then(
          (found) =>
            found && { ...found, read_count: found.read_count + this.readCounts.unwritten(id) },
        );
    if (!row) throw new NotFoundException('文章不存在或尚未发布');
    return toArticleDetail(
      {
        id: row.id,
        name: row.name,
        render: row.render,
        wordCount: row.word_count,
        readCount: row.read_count,
        likeCount: row.like_count,
        rewardCount: row.reward_count,
        isPublic: row.is_public,
        createdTime: row.created_time,
        updatedTime: row.updated_time,
      },
      {
        id: row.user_id,
        username: row.author_username,
        nickname: row.author_nickname,
        avatar: row.author_avatar,
        money: row.author_money,
      },
    );
  }

  /** Counts a read of a published article (404 otherwise) whose page was served without us. */
  async countPageView(id: number): Promise<void> {
    const row = await this.readCounts.countRead(id, () => this.publishedRow(id));
    if (!row) throw new NotFoundException('文章不存在或尚未发布');
  }

  /**
   * A published article or 404; for other modules (payments) that act on articles. From the
   * public cache like the article page: who wrote it and whether it is published.
   */
  async getPublished(id: number): Promise<Pick<ArticleEntity, 'id' | 'name' | 'userId'>> {
    const row = await this.publishedRow(id);
    if (!row) throw new NotFoundException('文章不存在或尚未发布');
    return { id: row.id, name: row.name, userId: row.user_id };
  }

  /** A published article's row with its author's, or null; shared by every reader for a while. */
  private publishedRow(id: number): Promise<DetailRow | null> {
    return this.cache.get(`article:${id}`, async () => {
      const rows: Omit<DetailRow, 'author_money'>[] = await this.dataSource.query(
        `SELECT a.id, a.name, a.render, a.word_count, a.read_count, a.like_count, a.reward_count,
                a.is_public, a.user_id, a.created_time, a.updated_time,
                u.username AS author_username, u.nickname AS author_nickname,
                u.avatar AS author_avatar
           FROM articles a JOIN users u ON u.id = a.user_id
          WHERE a.id = $1 AND a.is_public`,
        [id],
      );
      const row = rows[0];
      if (!row) return null; // cached too: a missing article costs no query either
      return { ...row, author_money: await this.users.balanceOf(row.user_id) };
    });
  }

  /** One 点赞 per reader: the primary key on (article, user) makes a repeat a no-op. */
  async like(user: UserEntity, id: number) {
    return this.events.transaction(async (manager) => {
      await this.getPublishedWith(manager.getRepository(ArticleEntity), id);
      const inserted = await runSql(
        manager,
        'INSERT INTO article_likes (article_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
        [id, user.id],
      );
      const { rows } = await runSql<{ like_count: number }>(
        manager,
        inserted.rowCount > 0
          ? 'UPDATE articles SET like_count = like_count + 1 WHERE id = $1 RETURNING like_count'
          : 'SELECT like_count FROM articles WHERE id = $1',
        [id],
      );
      this.events.publish(manager, new ArticlesChanged([id]));
      return { liked: true, like_count: rows[0]?.like_count ?? 0 };
    });
  }

  /**
   * Counts a paid tip on its article (+1) or uncounts a refunded one (-1), inside the caller's
   * settlement or refund transaction; the article page shows it once that commits.
   */
  async countReward(manager: EntityManager, articleId: number, delta: 1 | -1): Promise<void> {
    await runSql(manager, 'UPDATE articles SET reward_count = reward_count + $2 WHERE id = $1', [
      articleId,
      delta,
    ]);
    this.events.publish(manager, new ArticlesChanged([articleId]));
  }

  /**
   * Locks the article's row in the caller's transaction, for a caller that will count or
   * uncount a tip on it later and must take its locks in the one order of DESIGN.md.
   */
  async lockForUpdate(manager: EntityManager, articleId: number): Promise<void> {
    await runSql(manager, 'SELECT id FROM articles WHERE id = $1 FOR UPDATE', [articleId]);
  }

  private async getPublishedWith(repository: Repository<ArticleEntity>, id: number) {
    const article = await repository.findOneBy({ id, isPublic: true });
    if (!article) throw new NotFoundException('文章不存在或尚未发布');
    return article;
  }

  /**
   * The list's plain-text summary: sanitize-html over the whole article is the costliest part
   * of a list request, and its result changes only when the article's HTML does.
   */
  private summaryOf({ id, render }: Pick<ArticleEntity, 'id' | 'render'>): string {
    const cached = this.summaries.get(id);
    if (cached?.render === render) return cached.summary;
    const summary = summarize(render);
    if (!cached && this.summaries.size >= SUMMARY_CACHE_SIZE) {
      this.summaries.delete(this.summaries.keys().next().value as number);
    }
    this.summaries.set(id, { render, summary });
    return summary;
  }
}

function summarize(render: string): string {
  const text = sanitizeHtml(render, { allowedTags: [], allowedAttributes: {} })
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > SUMMARY_LENGTH ? `${text.slice(0, SUMMARY_LENGTH)}…` : text;
}
