/** The scheduler: node-cron ticks each minute and sends what is due through the outbox. */
import type { CoreServices } from '../core/core-services';

export interface TickReport {
  enqueued: number;
  sent: number;
  failed: number;
}

export interface Scheduler {
  start(): void;
  stop(): Promise<void>;
  /** One pass as if the clock read `now`: enqueue what is due, then send. */
  tick(now: Date): Promise<TickReport>;
}

export function createScheduler(_core: CoreServices): Scheduler {
  return {
    start: () => undefined,
    stop: async () => undefined,
    tick: async () => ({ enqueued: 0, sent: 0, failed: 0 }),
  };
}
