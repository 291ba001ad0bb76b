import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '@renran/config';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { AdminModule } from './admin/admin.module.js';
import { ArticlesModule } from './articles/articles.module.js';
import { AuthModule } from './auth/auth.module.js';
import { AppConfigModule } from './common/app-config.module.js';
import { requestIdOf } from './common/request-id.js';
import { PersistenceModule } from './common/persistence/persistence.module.js';
import { typeOrmOptions } from './database/typeorm-options.js';
import { HealthModule } from './health/health.module.js';
import { LedgerModule } from './ledger/ledger.module.js';
import { PaymentsModule } from './payments/payments.module.js';
import { UsersModule } from './users/users.module.js';
import { WithdrawalsModule } from './withdrawals/withdrawals.module.js';

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
            // The id is Fastify's (create-app.ts sets it on the raw request, which pino-http
            // then keeps); this is for a request that reaches the logger without one.
            genReqId: (request: IncomingMessage) => requestIdOf(request),
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
