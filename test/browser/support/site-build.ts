import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SITE_DIR = join(REPO_ROOT, 'nuxt-app');
export const SITE_ENTRY = join(SITE_DIR, '.output/server/index.mjs');
const SOURCES = ['app', 'server', 'shared', 'public', 'nuxt.config.ts'].map((name) =>
  join(SITE_DIR, name),
);
const BUILD_TIMEOUT_MS = 240_000;
// Two browser suites may start at once: one builds, the other waits for it.
const LOCK_DIR = join(
  tmpdir(),
  `renran-site-build-${createHash('sha1').update(REPO_ROOT).digest('hex').slice(0, 12)}.lock`,
);

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

function buildIsCurrent(): boolean {
  if (!existsSync(SITE_ENTRY)) return false;
  const built = statSync(SITE_ENTRY).mtimeMs;
  return SOURCES.every((source) => newestMtime(source) <= built);
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function takeLock(): Promise<void> {
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      return;
    } catch {
      // A lock older than a build can take was left by a killed run.
      const lockedAt = statSync(LOCK_DIR, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - lockedAt > BUILD_TIMEOUT_MS) {
        rmSync(LOCK_DIR, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`site build lock ${LOCK_DIR} is stuck`);
      await sleep(500);
    }
  }
}

function runBuild(): Promise<void> {
  return new Promise((done, fail) => {
    const output: string[] = [];
    const child = spawn('npm', ['run', 'build', '--workspace', 'nuxt-app'], {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => output.push(chunk.toString());
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGTERM'), BUILD_TIMEOUT_MS);
    child.on('error', fail);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) done();
      else fail(new Error(`site build failed (exit ${code}):\n${output.join('').slice(-4000)}`));
    });
  });
}

/**
 * Builds the site when `.output` is missing or older than any source file (about 30 s);
 * otherwise reuses it.
 */
export async function ensureSiteBuilt(): Promise<void> {
  if (buildIsCurrent()) return;
  await takeLock();
  try {
    if (!buildIsCurrent()) await runBuild();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}
