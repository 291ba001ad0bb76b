// What the bench measures around each run: memory and CPU of each process tree (from /proc),
// the load generator (scripts/bench/load.mjs, its own process) and signing workers.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { DURATION, root } from './options.mjs';

// ---------------------------------------------------------------- memory sampling
/** Every process whose ancestry leads to `pid` (cluster workers included). */
export function processTree(pid) {
  const parents = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // gone
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  }
  return tree;
}

export function statusKb(pid, field) {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

export class MemoryWatch {
  constructor(pid) {
    this.pid = pid;
    this.peakSumKb = 0;
    this.hwm = new Map();
    this.tree = [pid];
    this.treeAge = 0;
  }
  sample() {
    // Only while load runs: set-up (registrations, logins) is not what we measure.
    if (loadsRunning === 0) return;
    if (this.treeAge++ % 10 === 0) this.tree = processTree(this.pid);
    let sum = 0;
    for (const pid of this.tree) {
      sum += statusKb(pid, 'VmRSS');
      this.hwm.set(pid, Math.max(this.hwm.get(pid) ?? 0, statusKb(pid, 'VmHWM')));
    }
    this.peakSumKb = Math.max(this.peakSumKb, sum);
    this.phasePeakKb = Math.max(this.phasePeakKb ?? 0, sum);
  }
  get peakMb() {
    return Math.round(this.peakSumKb / 1024);
  }
  get processes() {
    return this.tree.length;
  }
}

// ---------------------------------------------------------------- CPU accounting
// CPU time each part of the system spent during a run: unlike req/s, CPU per request barely
// moves when other work shares the machine, so it shows what a change bought.
const TICK_MS = 10; // USER_HZ is 100 on Linux
export const cpuRoots = new Map();
/** CPU ticks of every process in the tree, by pid. */
function cpuTicks(root) {
  const ticks = new Map();
  for (const pid of processTree(root)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(pid, Number(fields[11]) + Number(fields[12]));
    } catch {
      // gone
    }
  }
  return ticks;
}
function cpuSnapshot() {
  return new Map([...cpuRoots].map(([name, pid]) => [name, cpuTicks(pid)]));
}
function cpuMsSince(before) {
  // Per process, so that one that exits meanwhile (an idle database connection) is not
  // counted as negative time.
  return Object.fromEntries(
    [...cpuRoots.keys()].map((name) => {
      const earlier = before.get(name) ?? new Map();
      let ticks = 0;
      for (const [pid, now] of cpuTicks(cpuRoots.get(name))) ticks += now - (earlier.get(pid) ?? 0);
      return [name, ticks * TICK_MS];
    }),
  );
}
export const memoryWatches = [];
export async function metered(run) {
  const before = cpuSnapshot();
  for (const watch of memoryWatches) watch.phasePeakKb = 0;
  const result = await run();
  const peakMb = Object.fromEntries(
    memoryWatches.map((watch) => [watch.name, Math.round(watch.phasePeakKb / 1024)]),
  );
  return { ...result, cpuMs: cpuMsSince(before), peakMb };
}

/**
 * Runs the measured job and its baseline in turns, half the time each per round, so that a
 * shift in what else this shared machine does lands on both sides of a ratio. Requests, time
 * and CPU add up; p50 is the request-weighted mean of the rounds' and p99 the worst round's.
 */
export async function sideBySide(measuredJob, baselineJob, rounds = 2) {
  const [measured, baseline] = await inTurns([measuredJob, baselineJob], rounds);
  return { measured, baseline };
}

/** The same with any number of jobs, each given DURATION / rounds per round, in order. */
export async function inTurns(jobs, rounds = 2) {
  const runs = jobs.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [index, job] of jobs.entries()) {
      runs[index].push(await metered(() => load(job(DURATION / rounds))));
    }
  }
  return runs.map(combineRuns);
}

function combineRuns(runs) {
  const sum = (pick) => runs.reduce((total, run) => total + (pick(run) ?? 0), 0);
  const requests = sum((run) => run.requests);
  const duration = sum((run) => run.duration);
  const names = (pick) => [...new Set(runs.flatMap((run) => Object.keys(pick(run) ?? {})))];
  return {
    ...runs[0],
    requests,
    duration,
    rps: requests / duration,
    latency: {
      p50: Math.round(sum((run) => run.latency.p50 * run.requests) / Math.max(1, requests)),
      p90: Math.max(...runs.map((run) => run.latency.p90)),
      p99: Math.max(...runs.map((run) => run.latency.p99)),
      max: Math.max(...runs.map((run) => run.latency.max)),
    },
    non2xx: sum((run) => run.non2xx),
    errors: sum((run) => run.errors),
    timeouts: sum((run) => run.timeouts),
    unexpectedStatus: sum((run) => run.unexpectedStatus),
    mismatched: sum((run) => run.mismatched),
    bytes: sum((run) => run.bytes),
    cpuMs: Object.fromEntries(
      names((run) => run.cpuMs).map((name) => [name, sum((run) => run.cpuMs?.[name])]),
    ),
    peakMb: Object.fromEntries(
      names((run) => run.peakMb).map((name) => [
        name,
        Math.max(...runs.map((run) => run.peakMb?.[name] ?? 0)),
      ]),
    ),
  };
}

// ---------------------------------------------------------------- load generator
let loadsRunning = 0;
export function load(job) {
  loadsRunning++;
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [join(root, 'scripts/bench/load.mjs'), JSON.stringify(job)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => {
      loadsRunning--;
      if (code !== 0) return fail(new Error(`load generator exited ${code}`));
      done(JSON.parse(out.trim().split('\n').at(-1)));
    });
  });
}

export function runWorkers(count, data) {
  return Promise.all(
    Array.from(
      { length: count },
      (_, index) =>
        new Promise((done, fail) => {
          const worker = new Worker(join(root, 'scripts/bench/sign-worker.mjs'), {
            workerData: typeof data === 'function' ? data(index) : data,
          });
          worker.once('message', done);
          worker.once('error', fail);
        }),
    ),
  );
}
