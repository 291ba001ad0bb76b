import { ESLint, type Linter } from 'eslint';
import path from 'node:path';
import tseslint from 'typescript-eslint';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * The module arrows of architecture.config.js, as `npm run lint` enforces them (the same
 * config block of eslint.config.js), run on imports a file in the named place might write.
 */
describe('module boundaries (architecture.config.js, enforced by npm run lint)', () => {
  let eslint: ESLint;

  beforeAll(async () => {
    const configPath = '../../eslint.config.js';
    const { moduleBoundaries } = (await import(configPath)) as { moduleBoundaries: Linter.Config };
    eslint = new ESLint({
      cwd: root,
      overrideConfigFile: true,
      overrideConfig: [
        { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
        moduleBoundaries,
      ],
    });
  });

  /** What ESLint says about one import written in `file`: the boundary messages, or none. */
  async function lintImport(file: string, specifier: string): Promise<string[]> {
    const code = `import * as imported from '${specifier}';\nexport const used = imported;\n`;
    const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
    return result.messages.map((message) => `${message.ruleId}: ${message.message}`);
  }

  it.each([
    ['a module imports a lower one', 'apps/api/src/articles/x.ts', '../users/users.service.js'],
    [
      'payments uses articles’ service',
      'apps/api/src/payments/x.ts',
      '../articles/articles.service.js',
    ],
    [
      'payments hears articles’ events',
      'apps/api/src/payments/x.ts',
      '../articles/articles.events.js',
    ],
    [
      'payments relates to articles’ entity',
      'apps/api/src/payments/entities/x.ts',
      '../../articles/entities/article.entity.js',
    ],
    [
      'the wiring imports the modules',
      'apps/api/src/database/x.ts',
      '../payments/entities/reward.entity.js',
    ],
    ['the sandbox uses a lib', 'apps/alipay-sandbox/src/x.ts', '@renran/money'],
    [
      'withdrawals builds on the ledger',
      'apps/api/src/withdrawals/x.ts',
      '../ledger/ledger.service.js',
    ],
  ])('allows: %s', async (_case, file, specifier) => {
    expect(await lintImport(file, specifier)).toEqual([]);
  });

  it.each([
    [
      'common imports a module',
      'apps/api/src/common/x.ts',
      '../users/users.service.js',
      'common',
      'users',
    ],
    [
      'a lib imports the API',
      'libs/money/src/x.ts',
      '../../../apps/api/src/users/users.service.js',
      'lib',
      'users',
    ],
    [
      'users imports articles',
      'apps/api/src/users/x.ts',
      '../articles/articles.service.js',
      'users',
      'articles',
    ],
    [
      'users imports payments',
      'apps/api/src/users/x.ts',
      '../payments/rewards.service.js',
      'users',
      'payments',
    ],
    [
      'articles imports payments',
      'apps/api/src/articles/x.ts',
      '../payments/payments.events.js',
      'articles',
      'payments',
    ],
    [
      'articles imports the ledger',
      'apps/api/src/articles/x.ts',
      '../ledger/ledger.service.js',
      'articles',
      'ledger',
    ],
    [
      'the ledger imports payments',
      'apps/api/src/ledger/x.ts',
      '../payments/entities/reward.entity.js',
      'ledger',
      'payments',
    ],
    [
      'payments reaches into articles’ cache',
      'apps/api/src/payments/x.ts',
      '../articles/public-article-cache.js',
      'payments',
      'articles',
    ],
    [
      'payments reaches into articles’ DTOs',
      'apps/api/src/payments/x.ts',
      '../articles/dto/article.dto.js',
      'payments',
      'articles',
    ],
    [
      'a module imports the wiring',
      'apps/api/src/payments/x.ts',
      '../database/typeorm-options.js',
      'payments',
      'database',
    ],
    [
      'the API imports the sandbox',
      'apps/api/src/payments/x.ts',
      '../../../alipay-sandbox/src/main.js',
      'payments',
      'sandbox',
    ],
    [
      'the sandbox imports the API',
      'apps/alipay-sandbox/src/x.ts',
      '../../api/src/payments/trade-no.js',
      'sandbox',
      'payments',
    ],
  ])('refuses: %s', async (_case, file, specifier, from, to) => {
    expect(await lintImport(file, specifier)).toEqual([
      `boundaries/dependencies: There is no policy allowing dependencies from elements of type "${from}" to elements of type "${to}"`,
    ]);
  });
});
