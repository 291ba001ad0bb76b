import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatBeijingTime } from '../common/beijing-time.js';
import { FaultsService } from '../faults/faults.service.js';
import { SANDBOX_RUNTIME, type SandboxRuntime } from '../sandbox-runtime.js';
import { corruptSignature, signNoticeParams } from '../signing/signed-params.js';
import type {
  AttemptRecord,
  NoticeRecord,
  RefundRecord,
  TradeRecord,
} from '../state/sandbox-state.js';
import { StateStore } from '../state/state-store.service.js';
import { postForm } from './form-poster.js';
import { buildNoticeFields } from './notice-fields.js';
import { resendDelayMs } from './resend-schedule.js';

const MAX_BODY_SHOWN = 500;

/**
 * Sends the asynchronous notifications to notify_url and resends them on Alipay's schedule
 * until the merchant answers HTTP 200 with exactly `success`. Every send of one notice keeps
 * its notify_id; notify_time and the signature are made afresh each time. Pending notices
 * live in the persisted state, so resends resume after a restart.
 */
@Injectable()
export class NotificationDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Notifications');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly shutdown = new AbortController();

  constructor(
    private readonly store: StateStore,
    private readonly faults: FaultsService,
    @Inject(SANDBOX_RUNTIME) private readonly runtime: SandboxRuntime,
  ) {}

  onApplicationBootstrap(): void {
    for (const notice of this.store.state.notices) {
      if (notice.state === 'pending') this.schedule(notice);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.shutdown.abort();
    this.clearTimers();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Queues the notice about a trade's current state; none when the trade has no notify_url. */
  enqueue(trade: TradeRecord, refund?: RefundRecord): NoticeRecord | undefined {
    if (!trade.notifyUrl) return undefined;
    const notifyId = randomBytes(16).toString('hex');
    const now = this.runtime.now();
    const notice: NoticeRecord = {
      notifyId,
      outTradeNo: trade.outTradeNo,
      tradeStatus: trade.status,
      notifyUrl: trade.notifyUrl,
      fields: buildNoticeFields(trade, this.runtime, notifyId, refund),
      createdAt: now,
      attempts: 0,
      nextAttemptAt: now,
      state: 'pending',
    };
    this.store.state.notices.push(notice);
    this.store.save();
    this.schedule(notice);
    return notice;
  }

  /** Sends every pending notice now instead of waiting for its next slot. */
  flush(): number {
    const pending = this.store.state.notices.filter((notice) => notice.state === 'pending');
    const now = this.runtime.now();
    for (const notice of pending) {
      notice.nextAttemptAt = now;
      this.schedule(notice);
    }
    this.store.save();
    return pending.length;
  }

  /** Cancels every scheduled send (POST /sandbox/reset); sends under way finish unrecorded. */
  forgetAll(): void {
    this.clearTimers();
  }

  private clearTimers(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(notice: NoticeRecord): void {
    if (this.shutdown.signal.aborted || notice.nextAttemptAt === null) return;
    clearTimeout(this.timers.get(notice.notifyId));
    const delay = Math.max(0, notice.nextAttemptAt - this.runtime.now());
    // Long waits (hours) are fine: setTimeout holds up to ~24 days. unref: a pending resend
    // alone never keeps a test process alive.
    const timer = setTimeout(() => {
      this.timers.delete(notice.notifyId);
      this.track(this.attempt(notice.notifyId));
    }, delay);
    timer.unref();
    this.timers.set(notice.notifyId, timer);
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => {
      this.logger.error(`notification attempt failed unexpectedly: ${String(error)}`);
    });
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  private async attempt(notifyId: string): Promise<void> {
    const notice = this.store.state.notices.find((item) => item.notifyId === notifyId);
    if (!notice || notice.state !== 'pending' || this.running.has(notifyId)) return;
    this.running.add(notifyId);
    try {
      await this.deliver(notice);
    } finally {
      this.running.delete(notifyId);
    }
  }

  private async deliver(notice: NoticeRecord): Promise<void> {
    const attempt = notice.attempts + 1;
    const { drop, permanently } = this.faults.takeNotificationDrop();
    let delivered = false;
    if (drop) {
      this.record(notice, attempt, 0, {
        ok: false,
        responseStatus: null,
        responseBody: null,
        dropped: true,
      });
    } else {
      const { extra, concurrent, delayMs } = this.faults.notificationCopies();
      if (delayMs > 0) {
        try {
          await sleep(delayMs, undefined, { signal: this.shutdown.signal });
        } catch {
          return; // shutting down: the notice stays due and goes out after a restart
        }
      }
      const copies = Array.from({ length: extra + 1 }, (_, copy) => copy);
      const results = concurrent
        ? await Promise.all(copies.map((copy) => this.send(notice, attempt, copy)))
        : await copies.reduce<Promise<boolean[]>>(
            async (done, copy) => [...(await done), await this.send(notice, attempt, copy)],
            Promise.resolve([]),
          );
      if (this.shutdown.signal.aborted) return;
      delivered = results.some(Boolean);
    }
    // A reset while the send was under way forgets the notice: nothing left to update.
    if (!this.store.state.notices.includes(notice)) return;
    notice.attempts = attempt;
    if (delivered) {
      notice.state = 'delivered';
      notice.nextAttemptAt = null;
    } else if (drop && permanently) {
      notice.state = 'abandoned';
      notice.nextAttemptAt = null;
    } else {
      const delay = resendDelayMs(attempt, this.runtime.notifyTimeScale);
      notice.state = delay === undefined ? 'gave_up' : 'pending';
      notice.nextAttemptAt = delay === undefined ? null : this.runtime.now() + delay;
    }
    this.store.save();
    if (notice.state === 'pending') this.schedule(notice);
  }

  /** One POST of a notice; true when the merchant answered 200 `success`. */
  private async send(notice: NoticeRecord, attempt: number, copy: number): Promise<boolean> {
    const corrupt = this.faults.takeSignatureCorruption();
    const params = signNoticeParams(
      { ...notice.fields, notify_time: formatBeijingTime(this.runtime.now()) },
      this.runtime.alipayPrivateKey,
    );
    if (corrupt) params.sign = corruptSignature(params.sign);
    try {
      const response = await postForm(notice.notifyUrl, params, {
        timeoutMs: this.runtime.notifyRequestTimeoutMs,
        signal: this.shutdown.signal,
      });
      const ok = response.status === 200 && response.body === 'success';
      this.record(notice, attempt, copy, {
        ok,
        responseStatus: response.status,
        responseBody: response.body.slice(0, MAX_BODY_SHOWN),
        corruptedSignature: corrupt || undefined,
      });
      return ok;
    } catch (error) {
      if (this.shutdown.signal.aborted) return false;
      this.record(notice, attempt, copy, {
        ok: false,
        responseStatus: null,
        responseBody: null,
        error: error instanceof Error ? error.message : String(error),
        corruptedSignature: corrupt || undefined,
      });
      return false;
    }
  }

  private record(
    notice: NoticeRecord,
    attempt: number,
    copy: number,
    outcome: Pick<AttemptRecord, 'ok' | 'responseStatus' | 'responseBody'> &
      Partial<Pick<AttemptRecord, 'error' | 'dropped' | 'corruptedSignature'>>,
  ): void {
    if (!this.store.state.notices.includes(notice)) return;
    const entry: AttemptRecord = {
      notifyId: notice.notifyId,
      outTradeNo: notice.outTradeNo,
      tradeStatus: notice.tradeStatus,
      attempt,
      copy,
      time: this.runtime.now(),
      ...outcome,
    };
    this.store.state.attempts.push(entry);
    this.store.save();
    this.logger.log(
      `notice ${notice.notifyId} (${notice.outTradeNo} ${notice.tradeStatus}) attempt ${attempt}` +
        `${copy > 0 ? ` copy ${copy}` : ''}: ${describeOutcome(entry)}`,
    );
  }
}

function describeOutcome(entry: AttemptRecord): string {
  if (entry.ok) return 'success';
  if (entry.dropped) return 'dropped (fault)';
  if (entry.error !== undefined) return entry.error;
  const body = JSON.stringify((entry.responseBody ?? '').slice(0, 60));
  return `HTTP ${entry.responseStatus} ${body}, not "success"${entry.corruptedSignature ? ' (signature corrupted by fault)' : ''}`;
}
