import type { ChildProcess } from 'node:child_process';

export function childEnv(
  own?: Record<string, string>,
  options?: { drop?: string[]; inherited?: NodeJS.ProcessEnv },
): Record<string, string | undefined>;
export function spawnNode(
  args: string[],
  options?: {
    env?: Record<string, string>;
    drop?: string[];
    inherited?: NodeJS.ProcessEnv;
    cwd?: string;
  },
): ChildProcess;
export function isRunning(child: ChildProcess): boolean;
export function waitForHttp(
  url: string,
  options?: {
    name?: string;
    timeoutMs?: number;
    intervalMs?: number;
    child?: ChildProcess;
    cancelled?: () => boolean;
    hint?: string;
  },
): Promise<void>;
export function stopChild(
  child: ChildProcess,
  options?: { signal?: NodeJS.Signals; killAfterMs?: number },
): Promise<void>;
export function stopChildren(
  children: ChildProcess[],
  options?: { signal?: NodeJS.Signals; killAfterMs?: number },
): Promise<void[]>;
