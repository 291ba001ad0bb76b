import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * A named fact about data that has been committed. Each event class lives beside the module
 * that publishes it (`articles/articles.events.ts`, `users/users.events.ts`,
 * `payments/payments.events.ts`); its listeners name it with `@OnEvent(Event.NAME)`.
 */
export interface CommittedEvent {
  readonly eventName: string;
}

const QUEUE_KEY = 'renran.afterCommitEvents';

/**
 * Publishes events only once the data they describe is committed: a cache told earlier could
 * reload the state the transaction is about to replace and keep it. A transaction that may
 * publish is opened with `transaction()` here; events published inside it are held on its
 * query runner and emitted after COMMIT (dropped on rollback). Published outside a
 * transaction, an event is emitted at once. Listeners run synchronously (EventEmitter2), so
 * when `transaction()` resolves, every cache has already forgotten what changed.
 */
@Injectable()
export class AfterCommitEvents {
  constructor(
    private readonly dataSource: DataSource,
    private readonly emitter: EventEmitter2,
  ) {}

  /** `dataSource.transaction(work)`, then the events `work` published, in order. */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const queue: CommittedEvent[] = [];
    const result = await this.dataSource.transaction(async (manager) => {
      const data = manager.queryRunner?.data as Record<string, unknown>;
      data[QUEUE_KEY] = queue;
      try {
        return await work(manager);
      } finally {
        delete data[QUEUE_KEY];
      }
    });
    for (const event of queue) this.emit(event);
    return result;
  }

  /** Emits `event` once `manager`'s transaction commits (at once outside a transaction). */
  publish(manager: EntityManager, event: CommittedEvent): void {
    const runner = manager.queryRunner;
    if (runner?.isTransactionActive !== true) {
      this.emit(event);
      return;
    }
    const queue = (runner.data as Record<string, unknown>)[QUEUE_KEY] as
      CommittedEvent[] | undefined;
    if (!queue) {
      // A plain dataSource.transaction() has nobody to announce its events after COMMIT.
      throw new Error(
        `${event.eventName} published in a transaction not opened by AfterCommitEvents.transaction()`,
      );
    }
    queue.push(event);
  }

  private emit(event: CommittedEvent): void {
    this.emitter.emit(event.eventName, event);
  }
}
