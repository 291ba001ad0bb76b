// Process helpers shared by `npm start` (scripts/start.mjs), `npm run bench` (scripts/bench/)
// and the reliability suite (test/reliability/support/processes.ts): each starts Node children
// on 127.0.0.1, waits for them to answer HTTP and stops them, and they did it three ways.
import { spawn } from 'node:child_process';

/**
 * The environment of a child: ours without the variables meant for one child only (by
 * default PORT, which every server reads), then the child's own.
 */
export function childEnv(own = {}, { drop = ['PORT'], inherited = process.env } = {}) {
  const base = { ...inherited };
  for (const name of drop) delete base[name];
  return { ...base, ...own };
}

/** `node <args>` with piped output. */
export function spawnNode(args, { env = {}, drop, inherited, cwd } = {}) {
  return spawn(process.execPath, args, {
    cwd,
    env: childEnv(env, { drop, inherited }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function isRunning(child) {
  return child.exitCode === null && child.signalCode === null;
}

/**
 * Resolves once `url` answers below 500. Rejects after `timeoutMs`, or as soon as `child`
 * (when given) has exited, or returns quietly when `cancelled()` says to give up.
 */
export async function waitForHttp(
  url,
  { name = url, timeoutMs = 60_000, intervalMs = 200, child, cancelled, hint = '' } = {},
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (cancelled?.()) return;
    if (child && !isRunning(child)) throw new Error(`${name} exited during start-up${hint}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((done) => setTimeout(done, intervalMs));
  }
  throw new Error(`${name} did not answer ${url} within ${timeoutMs / 1000} s${hint}`);
}

/** Sends `signal` and resolves when the child has exited; SIGKILL after `killAfterMs`. */
export function stopChild(child, { signal = 'SIGTERM', killAfterMs = 10_000 } = {}) {
  if (!isRunning(child)) return Promise.resolve();
  return new Promise((done) => {
    child.once('exit', done);
    child.kill(signal);
    if (signal !== 'SIGKILL') setTimeout(() => child.kill('SIGKILL'), killAfterMs).unref();
  });
}

export function stopChildren(children, options) {
  return Promise.all(children.map((child) => stopChild(child, options)));
}
