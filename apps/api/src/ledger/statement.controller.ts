import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { PageQuery, READER_PAGE } from '../common/dto/page.query.js';
import { CurrentUser } from '../users/current-user.decorator.js';
import type { UserEntity } from '../users/entities/user.entity.js';
import { StatementService } from './statement.service.js';

/** GET /users/me/statement: 10 movements a page by default, at most 50. */
class StatementQuery extends PageQuery(READER_PAGE) {}

/** The user's own ledger, under the user's path: the ledger module alone reads it. */
@ApiTags('users')
@ApiBearerAuth()
@Controller('users/me')
export class StatementController {
  constructor(private readonly statements: StatementService) {}

  @Get('statement')
  statement(@CurrentUser() user: UserEntity, @Query() query: StatementQuery) {
    return this.statements.page(user.id, query.page, query.page_size);
  }

  @Get('statement.csv')
  @ApiProduces('text/csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="statement.csv"')
  @Header('Cache-Control', 'private, no-store')
  csv(@CurrentUser() user: UserEntity) {
    return this.statements.csv(user.id);
  }
}
