// Process control for `npm run bench`: a private copy of the build, the temporary directory,
// the children (started and stopped through scripts/lib/processes.mjs, as `npm start` and the
// reliability suite do) and the cleanup that runs however the bench ends.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  chmodSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { spawnNode, stopChildren, waitForHttp } from '../lib/processes.mjs';
import { log, PROFILE, root } from './options.mjs';

// BENCH_DIST: measure another build of the API and sandbox (a dist/ folder), e.g. an older
// commit's, against the same site, to see what a change bought.
export const distRoot = process.env.BENCH_DIST ?? join(root, 'dist');
for (const entry of [
  join(distRoot, 'apps/api/apps/api/src/main.js'),
  join(distRoot, 'apps/alipay-sandbox/apps/alipay-sandbox/src/main.js'),
  join(root, 'nuxt-app/bench/.output/server/index.mjs'),
]) {
  if (!existsSync(entry)) {
    console.error(`✖ ${entry} is missing: run \`npm run bench\` (it builds first)`);
    process.exit(1);
  }
}
// Others may rebuild dist/ while we measure (the test suites run it): run a private copy, inside
// the project so that node_modules resolve as usual.
mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
export const build = mkdtempSync(join(root, 'node_modules/.cache/renran-bench-'));
for (const app of ['api', 'alipay-sandbox']) {
  cpSync(join(distRoot, 'apps', app), join(build, 'dist/apps', app), { recursive: true });
}
export const dist = (path) => join(build, 'dist/apps/api', path);

export const tmp = mkdtempSync(join(os.tmpdir(), 'renran-bench-'));
chmodSync(tmp, 0o755);
const children = [];
const stoppers = [];
let cleaning;

/** Work to undo at cleanup (the embedded database), after the children have stopped. */
export function onCleanup(stop) {
  stoppers.push(stop);
}

export function cleanup() {
  cleaning ??= (async () => {
    await stopChildren(children, { killAfterMs: 8_000 });
    for (const stop of stoppers) await stop().catch(() => undefined);
    rmSync(build, { recursive: true, force: true });
    if (PROFILE) {
      log(`CPU profiles kept in ${join(tmp, 'prof')}`);
    } else {
      rmSync(tmp, { recursive: true, force: true });
    }
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => void cleanup().then(() => process.exit(130)));
}

/** A Node child whose output is kept (the last few hundred chunks) for when it dies. */
export function start(name, args, env, cwd = root) {
  const logFile = join(tmp, `${name}.log`);
  const out = [];
  const child = spawnNode(args, { env, cwd, drop: ['PORT', 'DATABASE_URL'] });
  const keep = (chunk) => {
    out.push(chunk.toString());
    if (out.length > 400) out.splice(0, 200);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.on('exit', (code, signal) => {
    writeFileSync(logFile, out.join(''));
    if (!cleaning) {
      console.error(`✖ ${name} exited (${signal ?? code}):\n${out.join('').slice(-3000)}`);
      void cleanup().then(() => process.exit(1));
    }
  });
  child.output = () => out.join('');
  children.push(child);
  return child;
}

export function waitFor(url, name, timeoutMs = 90_000) {
  return waitForHttp(url, { name, timeoutMs });
}
