import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiJwtAuth } from '../common/openapi/api-docs.decorators.js';
import { CursorPageQuery, READER_PAGE } from '../common/dto/page.query.js';
import { CurrentUser } from '../users/current-user.decorator.js';
import type { UserEntity } from '../users/entities/user.entity.js';
import { StatementPageResponse } from './dto/statement.response.js';
import { StatementService } from './statement.service.js';

/** GET /users/me/statement: 10 movements a page by default, at most 50; or after `cursor`. */
class StatementQuery extends CursorPageQuery(READER_PAGE) {}

/** The user's own ledger, under the user's path: the ledger module alone reads it. */
@ApiTags('users')
@ApiJwtAuth()
@Controller('users/me')
export class StatementController {
  constructor(private readonly statements: StatementService) {}

  @Get('statement')
  @ApiOkResponse({ type: StatementPageResponse })
  @ApiErrors(400)
  statement(
    @CurrentUser() user: UserEntity,
    @Query() query: StatementQuery,
  ): Promise<StatementPageResponse> {
    return this.statements.page(user.id, query);
  }

  @Get('statement.csv')
  @ApiProduces('text/csv')
  @ApiOkResponse({
    schema: { type: 'string' },
    description: 'UTF-8 CSV with a BOM, every movement newest first (a download)',
  })
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="statement.csv"')
  @Header('Cache-Control', 'private, no-store')
  csv(@CurrentUser() user: UserEntity): Promise<string> {
    return this.statements.csv(user.id);
  }
}
