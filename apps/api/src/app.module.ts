import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '@renran/config';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { AdminModule } from './admin/admin.module.js';
import { ArticlesModule } from './articles/articles.module.js';
import { AuthModule } from './auth/auth.module.js';
import { AppConfigModule } from './common/app-config.module.js';
import { PersistenceModule } from './common/persistence/persistence.module.js';
import { typeOrmOptions } from './database/typeorm-options.js';
import { HealthModule } from './health/health.module.js';
import { LedgerModule } from './ledger/ledger.module.js';
import { PaymentsModule } from './payments/payments.module.js';
import { UsersModule } from './users/users.module.js';
import { WithdrawalsModule } from './withdrawals/withdrawals.module.js';

const REQUEST_ID_PATTERN = /^[\w.-]{1,64}$/;

@Module({})
export class AppModule {
  /** The whole API for one validated configuration and database URL. */
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            // A caller's X-Request-Id is kept when it is sane; otherwise one is made.
            genReqId: (request: IncomingMessage, response: ServerResponse) => {
              const given = request.headers['x-request-id'];
              const id =
                typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
              response.setHeader('X-Request-Id', id);
              return id;
            },
            // The request and response as each log line shows them: not their headers (tokens,
            // cookies, a kilobyte of security headers per line). pino-http serializes the
            // request for every request, logged or not: with all headers and their redaction it
            // was ~10 % of the API's CPU per article read.
            serializers: {
              req: (request: { id: unknown; method: string; url: string }) => ({
                id: request.id,
                method: request.method,
                url: request.url,
              }),
              res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
            },
            // One line per request, at info; at warn and above those lines are dropped, so
            // pino-http is not asked to prepare them.
            autoLogging: ['info', 'debug', 'trace'].includes(config.logLevel)
              ? { ignore: (request) => request.url === '/health' }
              : false,
          },
        }),
        TypeOrmModule.forRoot({
          ...typeOrmOptions(databaseUrl),
          retryAttempts: 3,
          retryDelay: 1000,
        }),
        PersistenceModule,
        UsersModule,
        AuthModule,
        ArticlesModule,
        LedgerModule,
        PaymentsModule,
        WithdrawalsModule,
        HealthModule,
        AdminModule,
      ],
    };
  }
}
