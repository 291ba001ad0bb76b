import { Inject, Injectable } from '@nestjs/common';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SANDBOX_RUNTIME, type SandboxRuntime } from '../sandbox-runtime.js';
import { emptyState, type SandboxState } from './sandbox-state.js';

/** Attempts kept for GET /sandbox/notifications; older ones are forgotten first. */
const MAX_ATTEMPTS_KEPT = 5000;

/**
 * Holds the sandbox state in memory and writes it to `<stateDir>/state.json` after every
 * change. Writes are synchronous and atomic (temp file + rename), so a crash leaves either
 * the old or the new document, never half of one. One sandbox per state directory.
 */
@Injectable()
export class StateStore {
  readonly state: SandboxState;
  private readonly file: string;

  constructor(@Inject(SANDBOX_RUNTIME) runtime: SandboxRuntime) {
    mkdirSync(runtime.stateDir, { recursive: true });
    this.file = join(runtime.stateDir, 'state.json');
    this.state = readState(this.file);
  }

  save(): void {
    if (this.state.attempts.length > MAX_ATTEMPTS_KEPT) {
      this.state.attempts.splice(0, this.state.attempts.length - MAX_ATTEMPTS_KEPT);
    }
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(this.state));
    renameSync(temp, this.file);
  }

  /** Forgets everything (POST /sandbox/reset). */
  reset(): void {
    Object.assign(this.state, emptyState());
    this.save();
  }
}

function readState(file: string): SandboxState {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw error;
  }
  let parsed: Partial<SandboxState>;
  try {
    parsed = JSON.parse(text) as Partial<SandboxState>;
  } catch {
    throw new Error(`${file} is not valid JSON; move it away to start afresh`);
  }
  if (parsed.version !== 1) {
    throw new Error(
      `${file} is not a sandbox state file of version 1; move it away to start afresh`,
    );
  }
  // Fields added later default from an empty state.
  return { ...emptyState(), ...parsed };
}
