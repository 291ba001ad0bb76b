import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import boundaries from 'eslint-plugin-boundaries';
import { API_LAYERS, ARTICLES_PUBLIC } from './architecture.config.js';

const apiFolders = Object.keys(API_LAYERS).filter((name) => name !== 'root');
const element = (type) => ({ element: { type } });

/** The module arrows of architecture.config.js as eslint-plugin-boundaries policies. */
const boundaryPolicies = [
  { from: element('lib'), allow: { to: element('lib') } },
  { from: element('sandbox'), allow: { to: element('lib') } },
  ...Object.entries(API_LAYERS).map(([from, targets]) => ({
    from: element(from),
    allow: {
      to: [
        element('lib'),
        ...targets
          .filter((to) => !(from === 'payments' && to === 'articles'))
          .map((to) => element(to)),
      ],
    },
  })),
  {
    from: element('payments'),
    allow: { to: { element: { type: 'articles', fileInternalPath: ARTICLES_PUBLIC } } },
  },
];

/** Module boundaries (architecture.config.js). Test code (test/, *.spec.ts) may reach anywhere. */
export const moduleBoundaries = {
  files: ['apps/**/*.ts', 'libs/**/*.ts'],
  ignores: ['**/*.spec.ts', 'apps/*/test/**'],
  plugins: { boundaries },
  settings: {
    'import/resolver': { typescript: { project: 'tsconfig.json' } },
    'boundaries/elements': [
      { type: 'lib', pattern: 'libs/*' },
      { type: 'sandbox', pattern: 'apps/alipay-sandbox' },
      ...apiFolders.map((name) => ({ type: name, pattern: `apps/api/src/${name}` })),
      // Last: a file of apps/api/src that is in none of the folders above.
      { type: 'root', pattern: 'apps/api/src' },
    ],
  },
  rules: {
    'boundaries/dependencies': [2, { default: 'disallow', policies: boundaryPolicies }],
  },
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'nuxt-app/**',
      '.data/**',
      'coverage/**',
      'test-artifacts/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-extraneous-class': 'off',
    },
  },
  moduleBoundaries,
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  prettier,
);
