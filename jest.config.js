// Jest runs in its ESM mode (NestJS 12 is ESM-only): ts-jest with useESM, `.js` suffixes
// stripped from relative imports, and the @renran/* aliases mapped to each lib's index.ts.
const base = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: [151002] } },
    ],
  },
  moduleNameMapper: {
    '^@renran/(config|database|money)$': '<rootDir>/libs/$1/src/index.ts',
    // @fastify/static (Swagger UI's assets on the Fastify adapter) requires content-disposition
    // 3, which is ESM-only: Node ≥ 20.19 loads it, Jest's CommonJS loader does not before Node
    // 24.9. The CommonJS 2.0.1 at the top of node_modules has the same API (`create`, `parse`).
    '^content-disposition$': '<rootDir>/node_modules/content-disposition/dist/index.js',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
};

export default {
  maxWorkers: 2,
  // A worker ends the run holding ~500 MB of module registries (every file loads Nest,
  // TypeORM and alipay-sdk afresh); on 2 busy cores the kernel needs more than Jest's default
  // 500 ms to free that after the worker exits, and Jest then reports a leak that is not one
  // (no handle was left open). A real leak still shows, after this long.
  workerGracefulExitTimeout: 5_000,
  // A payments harness (API, sandbox, a cloned database) can take a while to start on two busy cores.
  testTimeout: 60_000,
  projects: [
    {
      ...base,
      displayName: 'reliability',
      testMatch: ['<rootDir>/test/reliability/**/*.reliability-spec.ts'],
      globalSetup: '<rootDir>/test/reliability/support/global-setup.mjs',
    },
    {
      ...base,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/apps/**/*.spec.ts',
        '<rootDir>/libs/**/*.spec.ts',
        '<rootDir>/test/architecture/**/*.spec.ts',
      ],
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts', '<rootDir>/apps/*/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
    },
    {
      ...base,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
    },
  ],
};
