import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser } from '../users/current-user.decorator.js';
import { IdParamPipe } from '../common/id-param.pipe.js';
import { ApiErrors, ApiJwtAuth } from '../common/openapi/api-docs.decorators.js';
import { Public } from '../common/public.decorator.js';
import type { UserEntity } from '../users/entities/user.entity.js';
import { ArticlesService } from './articles.service.js';
import {
  CreateArticleDto,
  ListArticlesQuery,
  PreviewArticleDto,
  UpdateArticleDto,
} from './dto/article.dto.js';
import { toOwnArticle } from './dto/article-responses.js';
import {
  ArticleDetailResponse,
  ArticleLikeResponse,
  ArticlePageResponse,
  ArticlePreviewResponse,
  OwnArticleResponse,
} from './dto/article.response.js';
import { renderMarkdown } from './markdown-renderer.js';

@ApiTags('articles')
@Controller('article')
export class ArticlesController {
  constructor(private readonly articlesService: ArticlesService) {}

  @Public()
  @Get()
  @ApiOkResponse({ type: ArticlePageResponse })
  @ApiErrors(400)
  list(@Query() query: ListArticlesQuery): Promise<ArticlePageResponse> {
    return this.articlesService.listPublic(query.page, query.page_size);
  }

  @ApiJwtAuth()
  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiCreatedResponse({ type: OwnArticleResponse })
  @ApiErrors(400, 413)
  async create(
    @CurrentUser() user: UserEntity,
    @Body() dto: CreateArticleDto,
  ): Promise<OwnArticleResponse> {
    return toOwnArticle(await this.articlesService.create(user, dto));
  }

  @ApiJwtAuth()
  @Post('preview')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ArticlePreviewResponse })
  @ApiErrors(400, 413)
  preview(@Body() dto: PreviewArticleDto): ArticlePreviewResponse {
    const { render, wordCount } = renderMarkdown(dto.content);
    return { render, word_count: wordCount };
  }

  /**
   * The article, counted as a read, unless `?count=0`: the site renders its article page with
   * that and lets the page count itself (POST :id/read below), so copies of the page served by
   * a cache count too.
   */
  @Public()
  @Get('detail/:id')
  @ApiQuery({ name: 'count', required: false, enum: ['0'], description: '0: do not count a read' })
  @ApiOkResponse({ type: ArticleDetailResponse })
  @ApiErrors(404)
  detail(
    @Param('id', IdParamPipe) id: number,
    @Query('count') count?: string,
  ): Promise<ArticleDetailResponse> {
    return this.articlesService.readPublished(id, { countRead: count !== '0' });
  }

  /**
   * Counts one read of the article without sending it: the site's article page calls this once
   * it is shown (a beacon), however it reached the reader — rendered, from the site's page
   * cache, or from a CDN.
   */
  @Public()
  @Post(':id/read')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'counted' })
  @ApiErrors(404)
  async countRead(@Param('id', IdParamPipe) id: number): Promise<void> {
    await this.articlesService.countPageView(id);
  }

  @ApiJwtAuth()
  @Patch(':id')
  @ApiOkResponse({ type: OwnArticleResponse })
  @ApiErrors(400, 403, 404, 413)
  async update(
    @CurrentUser() user: UserEntity,
    @Param('id', IdParamPipe) id: number,
    @Body() dto: UpdateArticleDto,
  ): Promise<OwnArticleResponse> {
    return toOwnArticle(await this.articlesService.update(user, id, dto));
  }

  @ApiJwtAuth()
  @Post(':id/like')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ArticleLikeResponse })
  @ApiErrors(404)
  like(
    @CurrentUser() user: UserEntity,
    @Param('id', IdParamPipe) id: number,
  ): Promise<ArticleLikeResponse> {
    return this.articlesService.like(user, id);
  }
}
