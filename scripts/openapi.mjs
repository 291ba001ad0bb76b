#!/usr/bin/env node
// The API's contract for the site, in one deterministic command (needs `nest build api`
// first): the OpenAPI document from the built API (no database: Nest's preview mode) into
// docs/openapi.json, and the site's types generated from it by openapi-typescript into
// nuxt-app/shared/types/api.generated.ts.
// `--check` writes both into a temporary folder instead and fails when a committed one differs.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const FILES = {
  document: 'docs/openapi.json',
  types: 'nuxt-app/shared/types/api.generated.ts',
};
const check = process.argv.includes('--check');

const work = mkdtempSync(join(tmpdir(), 'renran-openapi-'));
try {
  const document = join(work, 'openapi.json');
  const types = join(work, 'api.generated.ts');
  const run = (script, args) =>
    execFileSync(process.execPath, [join(root, script), ...args], { cwd: root, stdio: 'pipe' });
  run('dist/apps/api/apps/api/src/cli/openapi.js', [document]);
  run('node_modules/openapi-typescript/bin/cli.js', [document, '--output', types]);

  const stale = [];
  for (const [made, committed] of [
    [document, FILES.document],
    [types, FILES.types],
  ]) {
    const target = join(root, committed);
    const current = existsSync(target) ? readFileSync(target, 'utf8') : null;
    if (current === readFileSync(made, 'utf8')) continue;
    if (check) stale.push(committed);
    else copyFileSync(made, target);
  }
  if (check && stale.length > 0) {
    console.error(`✖ stale: ${stale.join(', ')} — run \`npm run openapi\` and commit the result`);
    process.exitCode = 1;
  } else {
    console.log(
      check
        ? `✓ ${FILES.document} and ${FILES.types} are up to date`
        : `wrote ${FILES.document} and ${FILES.types}`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
