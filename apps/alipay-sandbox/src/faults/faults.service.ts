import { Injectable } from '@nestjs/common';
import { StateStore } from '../state/state-store.service.js';
import { defaultFaults, type OpenApiFaultMode } from '../state/sandbox-state.js';
import { applyFaultsPatch, faultsView, type FaultsView } from './fault-settings.js';

export interface OpenApiFault {
  mode: Exclude<OpenApiFaultMode, 'normal'>;
  apply: boolean;
  holdMs: number | null;
}

/**
 * The injected faults, persisted with the rest of the state so that a restart in the middle
 * of a reliability test keeps them. Countdowns are consumed by the `take*` methods.
 */
@Injectable()
export class FaultsService {
  constructor(private readonly store: StateStore) {}

  view(): FaultsView {
    return faultsView(this.store.state.faults);
  }

  patch(body: unknown): FaultsView {
    this.store.state.faults = applyFaultsPatch(this.store.state.faults, body);
    this.store.save();
    return this.view();
  }

  reset(): FaultsView {
    this.store.state.faults = defaultFaults();
    this.store.save();
    return this.view();
  }

  /** True when this delivery attempt must not be sent; consumes one drop. */
  takeNotificationDrop(): { drop: boolean; permanently: boolean } {
    const faults = this.store.state.faults;
    const drop = this.consume('dropNotifications');
    return { drop, permanently: drop && faults.dropPermanently };
  }

  /** True when this send must carry a corrupted signature; consumes one corruption. */
  takeSignatureCorruption(): boolean {
    return this.consume('corruptSignatures');
  }

  notificationCopies(): { extra: number; concurrent: boolean; delayMs: number } {
    const faults = this.store.state.faults;
    return {
      extra: faults.duplicateNotifications,
      concurrent: faults.concurrent,
      delayMs: faults.delayMs,
    };
  }

  /** The fault to answer this Open API call with, if any; consumes one from the count. */
  takeOpenApiFault(method: string): OpenApiFault | undefined {
    const openApi = this.store.state.faults.openApi;
    if (openApi.mode === 'normal' || openApi.count === 0) return undefined;
    if (openApi.methods !== null && !openApi.methods.includes(method)) return undefined;
    const fault: OpenApiFault = {
      mode: openApi.mode,
      apply: openApi.apply,
      holdMs: openApi.holdMs,
    };
    if (openApi.count > 0) {
      openApi.count -= 1;
      if (openApi.count === 0) openApi.mode = 'normal';
    }
    this.store.save();
    return fault;
  }

  private consume(field: 'dropNotifications' | 'corruptSignatures'): boolean {
    const faults = this.store.state.faults;
    if (faults[field] === 0) return false;
    if (faults[field] > 0) {
      faults[field] -= 1;
      this.store.save();
    }
    return true;
  }
}
