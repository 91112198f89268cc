/**
 * The scheduler: node-cron ticks each minute; each tick plans what is due (weekly prompts in each
 * person's own time zone, summaries, reminders) into the durable outbox, then sends it through the
 * channels' rate-limited ProactiveSenders. Several processes may share one database: the outbox's
 * unique keys and atomic claims keep every prompt to one delivery (see outbox.ts).
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { CoreServices } from '../core/core-services';
import { reflectionsOf } from '../reflections';
import { Dispatcher, type DispatchOptions, type DispatchReport } from './dispatcher';
import { Outbox } from './outbox';
import { Planner, type PlanReport } from './planner';
import { RateLimiter, type ChannelLimits, DEFAULT_LIMITS } from './rate-limiter';

export interface TickReport {
  enqueued: number;
  sent: number;
  failed: number;
  /** People whose weekly slot came due. */
  due?: number;
  skipped?: number;
  reminders?: number;
  retried?: number;
  cancelled?: number;
  waiting?: number;
  recovered?: number;
}

export interface Scheduler {
  start(): void;
  stop(): Promise<void>;
  /** One pass as if the clock read `now`: enqueue what is due, then send. */
  tick(now: Date): Promise<TickReport>;
  /** Sends what is already queued (e.g. invitations) without planning. */
  dispatch(now: Date, options?: DispatchOptions): Promise<DispatchReport>;
  outbox: Outbox;
  planner: Planner;
}

export interface SchedulerOptions {
  limits?: Record<string, ChannelLimits>;
  /** Milliseconds clock of the rate limiter (tests with a fake clock move it along). */
  rateClock?: () => number;
  dispatch?: DispatchOptions;
}

export function createScheduler(core: CoreServices, options: SchedulerOptions = {}): Scheduler {
  const { repo, outbound: renderer } = reflectionsOf(core);
  const outbox = new Outbox(core.db);
  const planner = new Planner(core.db, outbox, core.config.defaultTimezone);
  const dispatcher = new Dispatcher(core, outbox, new RateLimiter(options.limits ?? DEFAULT_LIMITS, options.rateClock), renderer, repo);
  let task: ScheduledTask | undefined;
  let running: Promise<unknown> | undefined;

  const tick = async (now: Date): Promise<TickReport> => {
    const plan: PlanReport = planner.plan(now);
    const sent = await dispatcher.drain(now, options.dispatch);
    const report = { ...plan, ...sent };
    if (plan.due > 0 || plan.enqueued > 0 || sent.sent > 0 || sent.failed > 0) core.logger.info(report, 'scheduler tick');
    return report;
  };

  return {
    outbox,
    planner,
    tick,
    dispatch: (now, dispatchOptions) => dispatcher.drain(now, { ...options.dispatch, ...dispatchOptions }),
    start() {
      if (task) return;
      task = cron.schedule(
        '* * * * *',
        async () => {
          const pass = tick(core.clock()).catch((error: unknown) => core.logger.error({ err: error }, 'scheduler tick failed'));
          running = pass;
          await pass;
        },
        // A tick that runs long (a big Friday) must not overlap the next one.
        { name: 'tsumiki-scheduler', noOverlap: true },
      );
      core.logger.info('scheduler started: ticking every minute');
    },
    async stop() {
      if (task) {
        await task.stop();
        await task.destroy();
        task = undefined;
      }
      await running;
    },
  };
}
