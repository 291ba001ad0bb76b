import type { FaultSettings, OpenApiFaultMode } from '../state/sandbox-state.js';

/** The Open API methods a fault can target. */
export const OPEN_API_METHODS = [
  'alipay.trade.query',
  'alipay.trade.close',
  'alipay.trade.refund',
  'alipay.trade.fastpay.refund.query',
  'alipay.trade.precreate',
  'alipay.fund.trans.uni.transfer',
  'alipay.fund.trans.common.query',
] as const;

export class FaultsPatchError extends Error {}

/** JSON shape of the fault settings on /sandbox/faults (snake_case, like everything Alipay). */
export interface FaultsView {
  drop_notifications: number;
  drop_permanently: boolean;
  duplicate_notifications: number;
  concurrent: boolean;
  delay_ms: number;
  corrupt_signatures: number;
  open_api: {
    mode: OpenApiFaultMode;
    count: number;
    apply: boolean;
    hold_ms: number | null;
    methods: string[] | null;
  };
}

export function faultsView(settings: FaultSettings): FaultsView {
  return {
    drop_notifications: settings.dropNotifications,
    drop_permanently: settings.dropPermanently,
    duplicate_notifications: settings.duplicateNotifications,
    concurrent: settings.concurrent,
    delay_ms: settings.delayMs,
    corrupt_signatures: settings.corruptSignatures,
    open_api: {
      mode: settings.openApi.mode,
      count: settings.openApi.count,
      apply: settings.openApi.apply,
      hold_ms: settings.openApi.holdMs,
      methods: settings.openApi.methods,
    },
  };
}

const TOP_LEVEL_KEYS = [
  'drop_notifications',
  'drop_permanently',
  'duplicate_notifications',
  'concurrent',
  'delay_ms',
  'corrupt_signatures',
  'open_api',
];
const OPEN_API_KEYS = ['mode', 'count', 'apply', 'hold_ms', 'methods'];

/**
 * Merges a POST /sandbox/faults body into the current settings; fields left out keep their
 * value. Refuses unknown fields and wrong types with a message naming the field. Setting
 * open_api.mode without a count faults every call until reset (count -1); mode "normal"
 * clears the Open API fault.
 */
export function applyFaultsPatch(current: FaultSettings, body: unknown): FaultSettings {
  const patch = asObject(body, 'body');
  refuseUnknown(patch, TOP_LEVEL_KEYS, '');
  const next: FaultSettings = { ...current, openApi: { ...current.openApi } };
  if ('drop_notifications' in patch) {
    next.dropNotifications = count(patch.drop_notifications, 'drop_notifications');
  }
  if ('drop_permanently' in patch) {
    next.dropPermanently = bool(patch.drop_permanently, 'drop_permanently');
  }
  if ('duplicate_notifications' in patch) {
    next.duplicateNotifications = int(
      patch.duplicate_notifications,
      'duplicate_notifications',
      0,
      20,
    );
  }
  if ('concurrent' in patch) next.concurrent = bool(patch.concurrent, 'concurrent');
  if ('delay_ms' in patch) next.delayMs = int(patch.delay_ms, 'delay_ms', 0, 600_000);
  if ('corrupt_signatures' in patch) {
    next.corruptSignatures = count(patch.corrupt_signatures, 'corrupt_signatures');
  }
  if ('open_api' in patch) {
    const openApi = asObject(patch.open_api, 'open_api');
    refuseUnknown(openApi, OPEN_API_KEYS, 'open_api.');
    if ('mode' in openApi) {
      const mode = openApi.mode;
      if (
        mode !== 'normal' &&
        mode !== '20000' &&
        mode !== 'timeout' &&
        mode !== '40004' &&
        mode !== 'SYSTEM_ERROR'
      ) {
        throw new FaultsPatchError(
          'open_api.mode must be "normal", "20000", "timeout", "40004" or "SYSTEM_ERROR"',
        );
      }
      next.openApi.mode = mode;
      next.openApi.count = mode === 'normal' ? 0 : -1;
    }
    if ('count' in openApi) next.openApi.count = count(openApi.count, 'open_api.count');
    if ('apply' in openApi) next.openApi.apply = bool(openApi.apply, 'open_api.apply');
    if ('hold_ms' in openApi) {
      next.openApi.holdMs =
        openApi.hold_ms === null ? null : int(openApi.hold_ms, 'open_api.hold_ms', 1, 600_000);
    }
    if ('methods' in openApi) next.openApi.methods = methods(openApi.methods);
    if (next.openApi.mode === 'normal' || next.openApi.count === 0) {
      next.openApi.mode = 'normal';
      next.openApi.count = 0;
    }
  }
  return next;
}

function asObject(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FaultsPatchError(`${name} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function refuseUnknown(object: Record<string, unknown>, known: string[], prefix: string): void {
  const unknown = Object.keys(object).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new FaultsPatchError(
      `unknown field ${unknown.map((key) => prefix + key).join(', ')}; known: ${known.map((key) => prefix + key).join(', ')}`,
    );
  }
}

function int(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new FaultsPatchError(`${name} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/** A countdown: N >= 0, or -1 for "every time until reset". */
function count(value: unknown, name: string): number {
  return int(value, name, -1, 1_000_000);
}

function bool(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw new FaultsPatchError(`${name} must be true or false`);
  return value;
}

function methods(value: unknown): string[] | null {
  if (value === null) return null;
  const known: readonly string[] = OPEN_API_METHODS;
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((item) => typeof item === 'string' && known.includes(item))
  ) {
    throw new FaultsPatchError(
      `open_api.methods must be null or a non-empty list of ${OPEN_API_METHODS.join(', ')}`,
    );
  }
  return [...new Set(value as string[])];
}
