import { poolOptions } from '@renran/database';
import type { DataSourceOptions } from 'typeorm';
import { ArticleLikeEntity } from '../articles/entities/article-like.entity.js';
import { ArticleEntity } from '../articles/entities/article.entity.js';
import { LedgerEntryEntity } from '../ledger/entities/ledger-entry.entity.js';
import { AlipayNotificationEntity } from '../payments/entities/alipay-notification.entity.js';
import { RefundEntity } from '../payments/entities/refund.entity.js';
import { RewardEntity } from '../payments/entities/reward.entity.js';
import { PayoutAccountEntity } from '../users/entities/payout-account.entity.js';
import { UserEntity } from '../users/entities/user.entity.js';
import { WithdrawalEntity } from '../withdrawals/entities/withdrawal.entity.js';
import { migrations } from './migrations/index.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

export const entities = [
  UserEntity,
  ArticleEntity,
  ArticleLikeEntity,
  LedgerEntryEntity,
  RewardEntity,
  RefundEntity,
  AlipayNotificationEntity,
  PayoutAccountEntity,
  WithdrawalEntity,
];

/** The one description of the API's database: used by the app, the CLI and the tests. */
export function typeOrmOptions(databaseUrl: string, poolSize = 20): DataSourceOptions {
  // The URL goes in `url`; everything else about the pool in `extra`.
  const { connectionString, ...pool } = poolOptions(databaseUrl, poolSize);
  return {
    type: 'postgres',
    url: connectionString,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    // Schema changes only through committed migrations, run under an advisory lock at start.
    synchronize: false,
    migrationsRun: false,
    extra: pool,
  };
}
