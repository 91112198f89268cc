/**
 * The Slack ProactiveSender (weekly reflection prompts, invitations). It has its own WebClient and
 * its own queue, so that a broadcast hitting a 429 waits here and never stalls interactive replies.
 * Pacing: about one message a second per conversation and a global cap; a 429 pauses the queue
 * for Retry-After and is reported as a temporary failure with `retryAfterMs` (the outbox retries).
 *
 * Exactly once across crashes: each message of a send carries Slack message metadata with the
 * outbox key (`tsumiki_outbox`, `{ key }`); after a crash mid-send the outbox asks `wasDelivered`,
 * which looks for that key in the DM's recent history (conversations.history, scope `im:history`).
 */
// The Web API client alone, not Bolt: a sending process (`tsumiki tick`, `tsumiki invite`) loads
// this file without the listeners, receivers and Bolt's module graph.
import { ErrorCode, WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { CoreServices } from '../../core/core-services';
import type { DeliveryResult, DiscoveryResult, ProactiveSender, ProactiveSendOptions, Reply } from '../../core/types';
import { renderReply } from './blocks';
import { boltLogger } from './bolt-logger';
import type { SlackChannelOptions } from './index';
import { errorInfo } from './responder';
import { slackTexts } from './texts';

/** Slack errors that no retry will fix: the outbox should give up on this person for now. */
export const PERMANENT_ERRORS = new Set([
  'account_inactive',
  'user_not_found',
  'users_not_found',
  'user_disabled',
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'cannot_dm_bot',
  'user_is_bot',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'missing_scope',
]);

export interface SlackSenderOptions {
  /** Minimum gap between two messages to the same conversation (Slack: about 1/s). */
  perChannelIntervalMs?: number;
  /** Minimum gap between any two messages (the global cap). */
  globalIntervalMs?: number;
  /** Minimum gap between two users.lookupByEmail calls (Slack Tier 3: about 50 a minute). */
  lookupIntervalMs?: number;
  /** How long "no Slack user has this e-mail" is remembered before asking Slack again. */
  notFoundTtlMs?: number;
  /** Minimum gap between two conversations.history calls (Slack Tier 3: about 50 a minute). */
  historyIntervalMs?: number;
}

/** The `event_type` of the message metadata that carries an outbox key. */
export const OUTBOX_EVENT_TYPE = 'tsumiki_outbox';
/** History read back before the in-flight stamp, for clock skew between this host and Slack. */
const HISTORY_MARGIN_MS = 10 * 60_000;
const HISTORY_PAGE_SIZE = 100;
/** Pages of history read at most; beyond that the answer is "cannot tell", never a guess. */
const HISTORY_MAX_PAGES = 5;

/** users.lookupByEmail errors that mean "nobody to reach with this e-mail", not "ask again later". */
const NOT_FOUND_ERRORS = new Set(['users_not_found', 'user_not_found', 'account_inactive', 'invalid_email']);

type Target = Parameters<ProactiveSender['send']>[0];

export class SlackProactiveSender implements ProactiveSender {
  readonly channel = 'slack' as const;
  private readonly perChannelIntervalMs: number;
  private readonly globalIntervalMs: number;
  private readonly lookupIntervalMs: number;
  private readonly notFoundTtlMs: number;
  private readonly historyIntervalMs: number;
  /** E-mails (lower case) Slack had no user for, with when that was learnt. */
  private readonly notFound = new Map<string, number>();
  /** Look-ups in flight, so concurrent sends to one person ask Slack once. */
  private readonly lookups = new Map<string, Promise<DiscoveryResult>>();
  private readonly lastByChannel = new Map<string, number>();
  private nextGlobalAt = 0;
  private pausedUntil = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly core: CoreServices,
    /** A WebClient of its own, with `rejectRateLimitedCalls: true`. */
    private readonly client: WebClient,
    private readonly logger: Logger,
    options: SlackSenderOptions = {},
  ) {
    this.perChannelIntervalMs = options.perChannelIntervalMs ?? 1100;
    this.globalIntervalMs = options.globalIntervalMs ?? 50;
    this.lookupIntervalMs = options.lookupIntervalMs ?? 1200;
    this.notFoundTtlMs = options.notFoundTtlMs ?? 6 * 3600_000;
    this.historyIntervalMs = options.historyIntervalMs ?? 1200;
  }

  /**
   * An imported employee with an e-mail but no Slack user id (the organisation file left it
   * empty, and they never wrote to the bot): finds their Slack user with users.lookupByEmail
   * (needs the `users:read.email` scope) and links the identity, so the scheduler can reach them.
   * "Not found" is remembered for a while; a rate limit or an outage asks the caller to retry.
   */
  discover(person: { personId: number; email: string }): Promise<DiscoveryResult> {
    const email = person.email.trim().toLowerCase();
    const learnt = this.notFound.get(email);
    if (learnt !== undefined && Date.now() - learnt < this.notFoundTtlMs) return Promise.resolve({ linked: false });
    const inFlight = this.lookups.get(email);
    if (inFlight) return inFlight;
    const lookup = this.lookUp(person.personId, email).finally(() => this.lookups.delete(email));
    this.lookups.set(email, lookup);
    return lookup;
  }

  private async lookUp(personId: number, email: string): Promise<DiscoveryResult> {
    const paused = this.pausedUntil - Date.now();
    if (paused > 0) return { linked: false, retryAfterMs: paused };
    try {
      await this.pace('users.lookupByEmail', this.lookupIntervalMs);
      const { user } = await this.client.users.lookupByEmail({ email });
      if (!user?.id || user.deleted || user.is_bot) return this.rememberNotFound(email, personId, 'no active Slack user');
      const existing = this.core.people.identity('slack', user.id);
      const owner = existing ? this.core.people.byId(existing.personId) : undefined;
      if (owner && owner.id !== personId && !owner.isGuest) {
        // Another employee's identity already: two rows of the organisation file share an e-mail. Never move it.
        this.logger.warn({ personId, otherPersonId: owner.id }, 'slack user found by e-mail already belongs to another employee; not linked');
        return this.rememberNotFound(email, personId, 'belongs to another employee');
      }
      // A guest who wrote before the import is merged into the employee by linkIdentity.
      this.core.people.linkIdentity(personId, 'slack', user.id, user.team_id ?? null);
      this.logger.info({ personId }, 'slack user found by e-mail and linked');
      return { linked: true };
    } catch (error) {
      const e = error as { code?: string; retryAfter?: number };
      if (e.code === ErrorCode.RateLimitedError) {
        const retryAfterMs = Math.max(1, e.retryAfter ?? 1) * 1000;
        this.pausedUntil = Date.now() + retryAfterMs;
        this.logger.warn({ retryAfterMs }, 'slack users.lookupByEmail rate limited');
        return { linked: false, retryAfterMs };
      }
      const code = slackError(error);
      if (code && NOT_FOUND_ERRORS.has(code)) return this.rememberNotFound(email, personId, code);
      if (code === 'missing_scope') {
        // Configuration, not this person: say so loudly; the row fails like any unreachable one.
        this.logger.error({ slackError: code }, 'users.lookupByEmail needs the users:read.email scope; imported people without a Slack id cannot be reached');
        return { linked: false };
      }
      this.logger.warn({ err: errorInfo(error), personId }, 'slack users.lookupByEmail failed; will retry');
      return { linked: false, retryAfterMs: 5 * 60_000 };
    }
  }

  private rememberNotFound(email: string, personId: number, why: string): DiscoveryResult {
    this.notFound.set(email, Date.now());
    if (this.notFound.size > 50_000) this.notFound.clear();
    this.logger.info({ personId, why }, 'no slack user for an imported person');
    return { linked: false };
  }

  /** Queued: broadcasts go out one at a time at the configured pace. */
  send(target: Target, replies: Reply[], options?: ProactiveSendOptions): Promise<DeliveryResult> {
    const run = this.queue.then(() => this.deliver(target, replies, options?.idempotencyKey));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Whether a message sent with `idempotencyKey` is in the person's DM: reads the DM's history
   * (newest first, from `sentAfter` minus a margin when that time is plausible) for a bot message
   * whose metadata carries the key. A reply split into several messages counts once its first
   * part is there (at most once). `undefined` when Slack cannot be asked (network, 429, missing
   * scope) or the bounded read found neither the key nor the start of the window.
   */
  async wasDelivered(target: Target, idempotencyKey: string, sentAfter?: Date): Promise<boolean | undefined> {
    // openDm stores the DM id before anything is posted: without one, nothing reached the person.
    const channel = target.dmChannelId;
    if (!channel) return false;
    if (this.pausedUntil > Date.now()) return undefined;
    // A hint from the scheduler's clock; one ahead of this host's (`tick --now` in the future) is ignored.
    const oldest = sentAfter && sentAfter.getTime() <= Date.now() ? ((sentAfter.getTime() - HISTORY_MARGIN_MS) / 1000).toFixed(6) : undefined;
    let cursor: string | undefined;
    try {
      for (let page = 0; page < HISTORY_MAX_PAGES; page++) {
        await this.pace('conversations.history', this.historyIntervalMs);
        const res = await this.client.conversations.history({
          channel,
          include_all_metadata: true,
          limit: HISTORY_PAGE_SIZE,
          ...(oldest ? { oldest } : {}),
          ...(cursor ? { cursor } : {}),
        });
        const found = (res.messages ?? []).some((m) => {
          const payload = m.metadata?.event_payload as { key?: unknown } | undefined;
          return Boolean(m.bot_id || m.app_id) && m.metadata?.event_type === OUTBOX_EVENT_TYPE && payload?.key === idempotencyKey;
        });
        if (found) return true;
        cursor = res.response_metadata?.next_cursor || undefined;
        if (!res.has_more || !cursor) return false;
      }
      this.logger.warn({ personId: target.personId, pages: HISTORY_MAX_PAGES }, 'slack history too long to verify a send after a crash');
      return undefined;
    } catch (error) {
      const e = error as { code?: string; retryAfter?: number };
      if (e.code === ErrorCode.RateLimitedError) {
        const retryAfterMs = Math.max(1, e.retryAfter ?? 1) * 1000;
        this.pausedUntil = Date.now() + retryAfterMs;
        this.logger.warn({ retryAfterMs }, 'slack conversations.history rate limited; send not verified yet');
      } else if (slackError(error) === 'missing_scope') {
        this.logger.error({ slackError: 'missing_scope' }, 'conversations.history needs the im:history scope; sends in doubt after a crash cannot be verified');
      } else {
        this.logger.warn({ err: errorInfo(error), personId: target.personId }, 'slack conversations.history failed; send not verified yet');
      }
      return undefined;
    }
  }

  private async deliver(target: Target, replies: Reply[], idempotencyKey?: string): Promise<DeliveryResult> {
    const paused = this.pausedUntil - Date.now();
    if (paused > 0) return { ok: false, permanent: false, reason: 'rate_limited', retryAfterMs: paused };
    let reopened = false;
    let channel = target.dmChannelId;
    let firstTs: string | undefined;
    try {
      channel ??= await this.openDm(target);
      for (const reply of replies) {
        if (reply.file) {
          await this.pace(channel);
          await this.client.filesUploadV2({ channel_id: channel, filename: reply.file.name, title: reply.file.name, file: Buffer.from(reply.file.content, 'utf8'), initial_comment: slackTexts[reply.locale].exportComment });
        }
        for (const message of renderReply(reply, { inlineInputs: true }, this.core.clock())) {
          for (;;) {
            await this.pace(channel);
            try {
              const posted = await this.client.chat.postMessage({
                channel,
                text: message.text,
                blocks: message.blocks,
                ...(idempotencyKey ? { metadata: { event_type: OUTBOX_EVENT_TYPE, event_payload: { key: idempotencyKey } } } : {}),
              });
              firstTs ??= posted.ts;
              break;
            } catch (error) {
              // A stored DM id can go stale (workspace migration): reopen once.
              if (slackError(error) === 'channel_not_found' && target.dmChannelId && !reopened) {
                reopened = true;
                channel = await this.openDm(target);
                continue;
              }
              throw error;
            }
          }
        }
      }
      this.core.metrics.outboxSent.inc({ channel: 'slack', outcome: 'sent' });
      return { ok: true, messageRef: firstTs && channel ? `${channel}:${firstTs}` : undefined };
    } catch (error) {
      return this.failure(error, target);
    }
  }

  private async openDm(target: Target): Promise<string> {
    await this.pace('conversations.open');
    const opened = await this.client.conversations.open({ users: target.externalId });
    const channel = opened.channel?.id;
    if (!channel) throw new Error('conversations.open returned no channel');
    const identity = this.core.people.identity('slack', target.externalId);
    if (identity) this.core.people.updateIdentity(identity.id, { dmChannelId: channel });
    return channel;
  }

  /** Waits for the global gap and the per-conversation (or per-method) gap. */
  private async pace(channel: string, intervalMs = this.perChannelIntervalMs): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.nextGlobalAt, (this.lastByChannel.get(channel) ?? 0) + intervalMs, this.pausedUntil);
    this.nextGlobalAt = at + this.globalIntervalMs;
    this.lastByChannel.set(channel, at);
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
    if (this.lastByChannel.size > 10_000) this.lastByChannel.clear();
  }

  private failure(error: unknown, target: Target): DeliveryResult {
    const e = error as { code?: string; retryAfter?: number };
    if (e.code === ErrorCode.RateLimitedError) {
      const retryAfterMs = Math.max(1, e.retryAfter ?? 1) * 1000;
      this.pausedUntil = Date.now() + retryAfterMs;
      this.logger.warn({ retryAfterMs }, 'slack broadcast rate limited');
      this.core.metrics.outboxSent.inc({ channel: 'slack', outcome: 'rate_limited' });
      return { ok: false, permanent: false, reason: 'rate_limited', retryAfterMs };
    }
    const code = slackError(error);
    if (code && PERMANENT_ERRORS.has(code)) {
      const identity = this.core.people.identity('slack', target.externalId);
      if (identity && code !== 'invalid_auth' && code !== 'not_authed' && code !== 'token_revoked' && code !== 'missing_scope') {
        this.core.people.updateIdentity(identity.id, { reachable: false, unreachableReason: code });
      }
      this.logger.warn({ slackError: code, personId: target.personId }, 'slack broadcast failed permanently');
      this.core.metrics.outboxSent.inc({ channel: 'slack', outcome: 'permanent_failure' });
      return { ok: false, permanent: true, reason: code };
    }
    this.logger.warn({ err: errorInfo(error), personId: target.personId }, 'slack broadcast failed; will retry');
    this.core.metrics.outboxSent.inc({ channel: 'slack', outcome: 'temporary_failure' });
    return { ok: false, permanent: false, reason: code ?? e.code ?? 'error' };
  }
}

/** The `error` field of a Slack platform error, if it is one. */
export function slackError(error: unknown): string | undefined {
  const e = error as { code?: string; data?: { error?: string } };
  return e?.code === ErrorCode.PlatformError ? e.data?.error : undefined;
}

/**
 * The sender for scheduled broadcasts: its own Web API client (rate-limited calls are rejected,
 * not retried in place) and queue, so a 429 there never stalls interactive replies. Lives here,
 * not in index.ts, so that one-shot commands and the benchmark load @slack/web-api without Bolt.
 */
export function createSlackBroadcastSender(core: CoreServices, options: SlackChannelOptions = {}): SlackProactiveSender {
  const slack = core.config.slack;
  if (!slack) throw new Error('Slack is not configured (SLACK_BOT_TOKEN)');
  const client = new WebClient(slack.botToken, {
    slackApiUrl: slack.apiUrl,
    timeout: options.timeoutMs ?? 10_000,
    logger: boltLogger(core.logger.child({ channel: 'slack', component: 'web-api' })),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 1, factor: 2, minTimeout: 500, maxTimeout: 2000 },
  });
  return new SlackProactiveSender(core, client, core.logger.child({ channel: 'slack' }), options.sender);
}
