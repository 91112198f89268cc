/**
 * The Slack ProactiveSender (weekly reflection prompts, invitations). It has its own WebClient and
 * its own queue, so that a broadcast hitting a 429 waits here and never stalls interactive replies.
 * Pacing: about one message a second per conversation and a global cap; a 429 pauses the queue
 * for Retry-After and is reported as a temporary failure with `retryAfterMs` (the outbox retries).
 */
import { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { CoreServices } from '../../core/core-services';
import type { DeliveryResult, ProactiveSender, Reply } from '../../core/types';
import { renderReply } from './blocks';
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
}

type Target = Parameters<ProactiveSender['send']>[0];

export class SlackProactiveSender implements ProactiveSender {
  readonly channel = 'slack' as const;
  private readonly perChannelIntervalMs: number;
  private readonly globalIntervalMs: number;
  private readonly lastByChannel = new Map<string, number>();
  private nextGlobalAt = 0;
  private pausedUntil = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly core: CoreServices,
    /** A WebClient of its own, with `rejectRateLimitedCalls: true`. */
    private readonly client: webApi.WebClient,
    private readonly logger: Logger,
    options: SlackSenderOptions = {},
  ) {
    this.perChannelIntervalMs = options.perChannelIntervalMs ?? 1100;
    this.globalIntervalMs = options.globalIntervalMs ?? 50;
  }

  /** Queued: broadcasts go out one at a time at the configured pace. */
  send(target: Target, replies: Reply[]): Promise<DeliveryResult> {
    const run = this.queue.then(() => this.deliver(target, replies));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async deliver(target: Target, replies: Reply[]): Promise<DeliveryResult> {
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
              const posted = await this.client.chat.postMessage({ channel, text: message.text, blocks: message.blocks });
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

  /** Waits for the global gap and the per-conversation gap. */
  private async pace(channel: string): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.nextGlobalAt, (this.lastByChannel.get(channel) ?? 0) + this.perChannelIntervalMs, this.pausedUntil);
    this.nextGlobalAt = at + this.globalIntervalMs;
    this.lastByChannel.set(channel, at);
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
    if (this.lastByChannel.size > 10_000) this.lastByChannel.clear();
  }

  private failure(error: unknown, target: Target): DeliveryResult {
    const e = error as { code?: string; retryAfter?: number };
    if (e.code === webApi.ErrorCode.RateLimitedError) {
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
  return e?.code === webApi.ErrorCode.PlatformError ? e.data?.error : undefined;
}
