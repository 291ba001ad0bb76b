#!/usr/bin/env node
// `npm test`: Jest (API, sandbox, e2e, browser and reliability suites), then Vitest (the
// site's composables); fails when either fails, and runs Vitest even after a Jest failure so
// one run reports both. Arguments go to Jest (`npm test -- --testPathPatterns x`).
// VITEST_JSON_REPORT=<file> also makes Vitest write its JSON report there (.ci/run reads it).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function run(args, cwd) {
  const { status, signal } = spawnSync(process.execPath, args, { cwd, stdio: 'inherit' });
  return signal ? 1 : (status ?? 1);
}

const jest = run(
  ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', ...process.argv.slice(2)],
  root,
);

// Vitest loads the site's generated .nuxt/tsconfig.app.json, which a fresh clone does not have
// yet (and an interrupted build can leave half written): `nuxi prepare` writes it in seconds.
const prepared = run([`${root}node_modules/@nuxt/cli/bin/nuxi.mjs`, 'prepare', 'nuxt-app'], root);

const report = process.env.VITEST_JSON_REPORT;
const vitest =
  prepared !== 0
    ? prepared
    : run(
        [
          `${root}node_modules/vitest/vitest.mjs`,
          'run',
          ...(report
            ? ['--reporter=default', '--reporter=json', `--outputFile.json=${report}`]
            : []),
        ],
        `${root}nuxt-app`,
      );

if (jest !== 0) console.error(`Jest failed (exit ${jest})`);
if (vitest !== 0) console.error(`Vitest (nuxt-app) failed (exit ${vitest})`);
process.exit(jest !== 0 || vitest !== 0 ? 1 : 0);
