import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import vue from 'eslint-plugin-vue';
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
      'nuxt-app/.nuxt/**',
      'nuxt-app/.output/**',
      'nuxt-app/bench/.nuxt/**',
      'nuxt-app/bench/.output/**',
      'nuxt-app/shared/types/api.generated.ts',
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
  // The site: Vue's recommended rules and typescript-eslint without type information. Its
  // types are checked by vue-tsc (`nuxi typecheck`), which understands .vue files and Nuxt's
  // auto-imports; a type-aware lint would need Nuxt's generated tsconfig first.
  ...vue.configs['flat/recommended'].map((config) => ({
    ...config,
    files: ['nuxt-app/**/*.vue'],
  })),
  {
    files: ['nuxt-app/**/*.{ts,vue}'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['nuxt-app/**/*.vue'],
    languageOptions: {
      parserOptions: {
        parser: tseslint.parser,
        extraFileExtensions: ['.vue'],
        projectService: false,
      },
    },
    rules: {
      // Nuxt auto-imports (ref, useFetch, the utils) are globals ESLint cannot see; vue-tsc checks them.
      'no-undef': 'off',
      // Pages and layouts are named by their file (index.vue, [id].vue).
      'vue/multi-word-component-names': 'off',
    },
  },
  prettier,
);
