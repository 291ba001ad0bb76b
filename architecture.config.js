// The allowed arrows between the folders of this repository, written down once. ESLint
// (eslint.config.js, eslint-plugin-boundaries) enforces them on every import; docs/ARCHITECTURE.md
// draws them. An arrow `a: [b, c]` means files in `a` may import from `b` and `c`; imports
// inside one folder are always allowed, and nothing else is.

/** The API's folders under apps/api/src, lowest first. */
export const API_LAYERS = {
  common: [],
  users: ['common'],
  auth: ['users', 'common'],
  articles: ['users', 'common'],
  ledger: ['users', 'common'],
  // withdrawals -> payments: the one Alipay client (and its query ladder) lives in payments.
  withdrawals: ['payments', 'ledger', 'users', 'common'],
  // payments -> articles only through ARTICLES_PUBLIC below.
  payments: ['articles', 'ledger', 'users', 'common'],
  admin: ['payments', 'withdrawals', 'ledger', 'auth', 'users', 'common'],
  health: ['common'],
  // The wiring at the top: entity list, migrations, seeds; the command-line tools; the app.
  database: ['payments', 'withdrawals', 'articles', 'ledger', 'users', 'common'],
  // The command-line tools sit beside the app: `cli/openapi.ts` builds it to describe it.
  cli: ['root', 'database', 'users', 'common'],
  root: [
    'admin',
    'health',
    'payments',
    'withdrawals',
    'articles',
    'ledger',
    'auth',
    'users',
    'common',
    'database',
    'root',
  ],
};

/**
 * What articles shows the modules above it: its module, its service, its events and its
 * entities. Its caches, read counter, DTOs and renderer are its own business.
 */
export const ARTICLES_PUBLIC = [
  'articles.module.ts',
  'articles.service.ts',
  'articles.events.ts',
  'entities/*.entity.ts',
];

/**
 * Which module writes each table (INSERT / UPDATE / DELETE, TypeORM save/insert/update/delete):
 * that module's service alone; others ask it. Reads may join any table, in the module that owns
 * the answer's main table. Migrations and seeds (apps/api/src/database/) are exempt.
 * test/architecture/table-ownership.spec.ts enforces it.
 */
export const TABLE_OWNERS = {
  users: 'users',
  articles: 'articles',
  article_likes: 'articles',
  rewards: 'payments',
  refunds: 'payments',
  alipay_notifications: 'payments',
  // Summaries of `rewards`, kept in the same transactions (migration 1765000000000):
  // SupportersSummary writes these two in settlement and refund;
  article_supporters: 'payments',
  article_supporter_counts: 'payments',
  // and the trigger `rewards_daily_stats` (payments' migration) writes this one.
  reward_daily_stats: 'payments',
  ledger_entries: 'ledger',
  withdrawals: 'withdrawals',
  payout_accounts: 'users',
  rate_limits: 'common', // common/rate-limit, through rate-limiter-flexible
};

/** Columns written by another module than their table's owner (an UPDATE that sets only them). */
export const COLUMN_OWNERS = {
  // Balances move only as ledger movements (LedgerService.post), never by users' own writes.
  'users.money': 'ledger',
};
