import type { KeyObject } from 'node:crypto';

/** What every sandbox service needs, resolved once by startSandbox (keys parsed, paths read). */
export interface SandboxRuntime {
  appId: string;
  sellerId: string;
  appPublicKey: KeyObject;
  alipayPrivateKey: KeyObject;
  stateDir: string;
  notifyTimeScale: number;
  openApiTimeoutMs: number;
  /** How long one notification POST may take before it counts as failed. */
  notifyRequestTimeoutMs: number;
  now: () => number;
}

export const SANDBOX_RUNTIME = Symbol('SANDBOX_RUNTIME');
