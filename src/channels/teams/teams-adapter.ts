/**
 * botbuilder's CloudAdapter with Teams' rate limits, one retry layer and a timeout on every
 * connector call. Every message the bot sends (replies, streaming updates, proactive messages,
 * card updates) goes through `sendActivities` / `updateActivity`, so pacing lives here once.
 */
import { CloudAdapter, type Activity, type InvokeResponse, type ResourceResponse, type TurnContext } from 'botbuilder';
import type { AuthenticateRequestResult } from 'botframework-connector';
import type { Logger } from 'pino';
import {
  CONVERSATION_WINDOWS,
  DEFAULT_RETRY,
  SlidingWindowLimiter,
  TENANT_WINDOWS,
  withRetry,
  type RetryOptions,
  type Sleep,
} from './rate-limit';

export interface TeamsAdapterOptions {
  logger: Logger;
  /** Timeout of one connector request. */
  requestTimeoutMs?: number;
  retry?: RetryOptions;
  sleep?: Sleep;
  now?: () => number;
}

/**
 * botbuilder 4.23's connector serializer resolves each entity to its `Entity` model, which lists
 * only type/text/mentioned, and drops every other property: the AI label, citations and
 * streaminfo would never reach Teams. The activity model means entities to keep extra properties
 * (its `entities` element declares `additionalProperties`), so the model gets the same.
 */
function keepEntityProperties(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the mapper module is not re-exported
  const mappers = require('botframework-connector/lib/connectorApi/models/mappers') as { Entity?: { type: { additionalProperties?: unknown } } };
  if (mappers.Entity && !mappers.Entity.type.additionalProperties) mappers.Entity.type.additionalProperties = { type: { name: 'Object' } };
}
keepEntityProperties();

type BotFrameworkAuthentication = NonNullable<ConstructorParameters<typeof CloudAdapter>[0]>;

interface PipelineLike {
  removePolicy(options: { name: string }): unknown;
  addPolicy(policy: { name: string; sendRequest(request: { timeout: number }, next: (r: unknown) => Promise<unknown>): Promise<unknown> }): void;
}

export class TeamsAdapter extends CloudAdapter {
  private readonly conversations: SlidingWindowLimiter;
  private readonly tenants: SlidingWindowLimiter;
  private readonly tuned = new WeakSet<object>();
  private readonly logger: Logger;
  private readonly requestTimeoutMs: number;
  private readonly retry: RetryOptions;

  constructor(auth: BotFrameworkAuthentication, options: TeamsAdapterOptions) {
    super(auth);
    this.logger = options.logger;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
    this.retry = { ...DEFAULT_RETRY, ...options.retry, sleep: options.sleep ?? options.retry?.sleep };
    this.conversations = new SlidingWindowLimiter(CONVERSATION_WINDOWS, options.now, options.sleep);
    this.tenants = new SlidingWindowLimiter(TENANT_WINDOWS, options.now, options.sleep);
    // Before any handler runs, so member look-ups get the timeout too.
    this.use(async (context, next) => {
      this.tuneConnector(context);
      await next();
    });
  }

  /**
   * Runs a turn for an activity whose request was already authenticated (see index.ts: the
   * channel authenticates, then checks the activity's shape, then calls this), so the token is
   * checked once. Returns the invoke response, if the turn produced one.
   */
  async runAuthenticated(authenticated: AuthenticateRequestResult, activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    // botbuilder's validateAndFixActivity (not exported) turns the ISO timestamps into dates, keeping the raw strings.
    const fixed = { ...activity } as Activity & { rawTimestamp?: string; rawLocalTimestamp?: string };
    if (typeof activity.timestamp === 'string') {
      fixed.rawTimestamp = activity.timestamp;
      fixed.timestamp = new Date(activity.timestamp);
    }
    if (typeof activity.localTimestamp === 'string') {
      fixed.rawLocalTimestamp = activity.localTimestamp;
      fixed.localTimestamp = new Date(activity.localTimestamp);
    }
    return this.processActivity(authenticated, fixed, logic);
  }

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    this.tuneConnector(context);
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      if (activity.type === 'invokeResponse' || activity.type === 'delay' || activity.type === 'trace') {
        responses.push(...(await super.sendActivities(context, [activity])));
        continue;
      }
      await this.pace(activity);
      const sent = await withRetry(() => super.sendActivities(context, [{ ...activity }]), this.retryFor(activity));
      responses.push(...sent);
    }
    return responses;
  }

  override async updateActivity(context: TurnContext, activity: Partial<Activity>): Promise<ResourceResponse | void> {
    this.tuneConnector(context);
    await this.pace(activity);
    return withRetry(() => super.updateActivity(context, activity), this.retryFor(activity));
  }

  private async pace(activity: Partial<Activity>): Promise<void> {
    const tenant = activity.conversation?.tenantId ?? 'unknown-tenant';
    await this.tenants.acquire(tenant);
    await this.conversations.acquire(`${tenant}/${activity.conversation?.id ?? 'unknown'}`);
  }

  private retryFor(activity: Partial<Activity>): RetryOptions {
    return {
      ...this.retry,
      onRetry: ({ attempt, status, delayMs }) =>
        this.logger.warn({ channel: 'teams', status, attempt, delayMs, activityType: activity.type }, 'connector call failed, retrying'),
    };
  }

  /**
   * The connector client's Azure pipeline retries on its own (5xx and 429, up to a minute of
   * waiting) and has no timeout. One retry layer with Teams' own rules is easier to reason
   * about, so its retry policy is removed and a per-request timeout added. If a future
   * botbuilder changes this shape, its own (bounded) retries simply stay.
   */
  private tuneConnector(context: TurnContext): void {
    const connector = context.turnState.get(this.ConnectorClientKey) as object | undefined;
    if (!connector || this.tuned.has(connector)) return;
    this.tuned.add(connector);
    const pipeline = (connector as { client?: { pipeline?: PipelineLike } }).client?.pipeline;
    if (!pipeline || typeof pipeline.removePolicy !== 'function') {
      this.logger.debug({ channel: 'teams' }, 'connector pipeline not reachable; keeping its default retry policy');
      return;
    }
    pipeline.removePolicy({ name: 'defaultRetryPolicy' });
    const timeout = this.requestTimeoutMs;
    pipeline.addPolicy({
      name: 'tsumikiRequestTimeout',
      sendRequest: (request, next) => {
        if (!request.timeout) request.timeout = timeout;
        return next(request);
      },
    });
  }
}
