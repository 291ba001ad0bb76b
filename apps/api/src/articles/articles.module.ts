import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module.js';
import { ArticlesController } from './articles.controller.js';
import { ArticlesService } from './articles.service.js';
import { ArticleLikeEntity } from './entities/article-like.entity.js';
import { ArticleEntity } from './entities/article.entity.js';
import { PublicArticleCache } from './public-article-cache.js';
import { ReadCountsService } from './read-counts.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([ArticleEntity, ArticleLikeEntity]), UsersModule],
  controllers: [ArticlesController],
  providers: [ArticlesService, ReadCountsService, PublicArticleCache],
  exports: [ArticlesService],
})
export class ArticlesModule {}
