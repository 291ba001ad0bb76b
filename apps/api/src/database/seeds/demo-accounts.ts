/**
 * Development-only accounts created in an empty database; `npm start` prints them.
 * Seeded only in development on the embedded database, never into one named by DATABASE_URL.
 */
export const DEMO_ACCOUNTS = {
  author: { username: 'demo_author', password: 'author-pass-2026', nickname: '荏苒作者' },
  reader: { username: 'demo_reader', password: 'reader-pass-2026', nickname: '爱读书的小王' },
  staff: { username: 'demo_admin', password: 'admin-pass-2026', nickname: '管理员' },
} as const;

/** The reader's starting balance, credited through the `grants` ledger account. */
export const DEMO_READER_GRANT_FEN = 20_000;
