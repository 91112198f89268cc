/**
 * Sends what the outbox holds through the channels' ProactiveSenders: claims rows atomically,
 * renders each in the person's language, picks a reachable identity on a channel that is up,
 * waits for the channel's rate limit, sends, and records the outcome. Transient failures retry
 * with backoff (honouring Retry-After); permanent ones (account deactivated, app removed) mark the
 * identity unreachable and stop.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { CoreServices } from '../core/core-services';
import type { ChannelKind, DeliveryResult, DiscoveryResult, ProactiveSender, ProactiveTarget } from '../core/types';
import type { OutboundKind, OutboundPayload, OutboundRenderer } from '../reflections/outbound';
import type { ReflectionRepository } from '../reflections/reflection-repository';
import type { Outbox, OutboxRow } from './outbox';
import type { RateLimiter } from './rate-limiter';

export interface DispatchReport {
  sent: number;
  failed: number;
  retried: number;
  cancelled: number;
  /** Left pending because no channel that can reach the person is running here. */
  waiting: number;
  recovered: number;
}

export interface DispatchOptions {
  /** Only these kinds (e.g. `tsumiki invite` sends invitations only). */
  kinds?: readonly string[];
  /** Stop claiming new rows after this many ms of real time (the next tick continues). */
  budgetMs?: number;
  /** Rows claimed per batch. */
  batchSize?: number;
  /** Sends in flight at once. */
  concurrency?: number;
}

/** A claim older than this was abandoned by a process that died. Longer than any send can take. */
export const CLAIM_LEASE_MS = 5 * 60_000;
export const MAX_ATTEMPTS = 5;
/** A send waits at most this long for its rate-limit slot; longer waits go back to the outbox. */
const MAX_RATE_WAIT_MS = 10_000;
const BACKOFF_BASE_MS = 30_000;
/** How long to wait for a channel to come up before trying again. */
const NO_CHANNEL_RETRY_MS = 15 * 60_000;
/**
 * A send in doubt whose channel can verify but could not be asked (outage, rate limit) is asked
 * again after each lease for this long after it went on the wire, then given up (not resent).
 */
export const IN_DOUBT_RECHECK_MS = 24 * 3600_000;
/** Invitations and other messages without their own expiry give up after this. */
const DEFAULT_EXPIRY_MS = 14 * 86_400_000;

interface Route {
  sender: ProactiveSender;
  identityId: number;
  target: ProactiveTarget;
}

export class Dispatcher {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

  constructor(
    private readonly core: CoreServices,
    private readonly outbox: Outbox,
    private readonly limiter: RateLimiter,
    private readonly renderer: OutboundRenderer,
    private readonly repo: ReflectionRepository,
  ) {}

  /** Sends everything due at `now` (within the time budget). */
  async drain(now: Date, options: DispatchOptions = {}): Promise<DispatchReport> {
    const report: DispatchReport = { sent: 0, failed: 0, retried: 0, cancelled: 0, waiting: 0, recovered: 0 };
    report.recovered = await this.recoverStale(now);
    const started = Date.now();
    const budget = options.budgetMs ?? 50_000;
    const batchSize = options.batchSize ?? 100;
    const concurrency = options.concurrency ?? 8;
    while (Date.now() - started < budget) {
      const rows = this.outbox.claim(now, this.owner, batchSize, options.kinds);
      if (rows.length === 0) break;
      let next = 0;
      const worker = async () => {
        while (next < rows.length) {
          const row = rows[next++]!;
          await this.deliver(row, now, report);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, worker));
      if (rows.length < batchSize) break;
    }
    return report;
  }

  private async deliver(row: OutboxRow, now: Date, report: DispatchReport): Promise<void> {
    const { logger, metrics } = this.core;
    try {
      const payload = row.payload as OutboundPayload;
      const expiresAt = payload.expiresAt ? new Date(payload.expiresAt) : new Date(new Date(row.createdAt).getTime() + DEFAULT_EXPIRY_MS);
      if (now > expiresAt) {
        this.outbox.finish(row.id, 'cancelled', 'expired before it could be sent');
        report.cancelled += 1;
        return;
      }
      let routes = this.routes(row.personId);
      if (routes.length === 0) {
        // Never written to the bot on a running channel: a channel may find them by e-mail (Slack users.lookupByEmail).
        const discovery = await this.discover(row.personId);
        if (discovery.retryAfterMs !== undefined) {
          this.outbox.release(row.id, new Date(now.getTime() + discovery.retryAfterMs), 'looking the person up on a channel; trying again later');
          report.waiting += 1;
          return;
        }
        routes = this.routes(row.personId);
      }
      if (routes.length === 0) {
        if (this.hasReachableIdentity(row.personId)) {
          this.outbox.release(row.id, new Date(now.getTime() + NO_CHANNEL_RETRY_MS), 'no running channel can reach this person yet');
          report.waiting += 1;
        } else {
          this.outbox.finish(row.id, 'failed', 'person has no reachable channel identity');
          report.failed += 1;
          metrics.outboxSent.inc({ channel: 'none', outcome: 'unreachable' });
        }
        return;
      }
      const replies = await this.renderer.render(row.kind as OutboundKind, row.personId, payload, now);
      if (!replies || replies.length === 0) {
        this.outbox.finish(row.id, 'cancelled', 'no longer applies (consent, pause or nothing to say)');
        report.cancelled += 1;
        return;
      }
      const route = routes[0]!;
      const slot = await this.limiter.acquire(route.sender.channel, route.target.dmChannelId ?? route.target.externalId, MAX_RATE_WAIT_MS);
      if (!slot.ok) {
        // The channel is paused (Retry-After) or saturated: give the row back for after the wait.
        this.outbox.release(row.id, new Date(now.getTime() + slot.waitMs), 'waiting for the channel rate limit');
        report.retried += 1;
        return;
      }
      if (!this.outbox.markInFlight(row.id, this.owner, route.sender.channel, now)) return; // the claim was taken over
      const result = await this.sendSafely(route, replies, row.dedupeKey);
      this.record(row, route, result, now, report);
    } catch (error) {
      logger.error({ err: error, outboxId: row.id, kind: row.kind }, 'outbox delivery failed');
      this.outbox.retryAt(row.id, new Date(now.getTime() + BACKOFF_BASE_MS), 'internal error');
      report.retried += 1;
    }
  }

  private async sendSafely(route: Route, replies: Parameters<ProactiveSender['send']>[1], key: string): Promise<DeliveryResult> {
    try {
      return await route.sender.send(route.target, replies, { idempotencyKey: key });
    } catch (error) {
      // A sender should return a DeliveryResult; a throw is treated as transient.
      return { ok: false, permanent: false, reason: (error as Error).message ?? String(error) };
    }
  }

  private record(row: OutboxRow, route: Route, result: DeliveryResult, now: Date, report: DispatchReport): void {
    const channel = route.sender.channel;
    if (result.ok) {
      this.outbox.markSent(row.id, now);
      if (row.kind === 'invitation') this.repo.markInvited(row.personId, now);
      report.sent += 1;
      this.core.metrics.outboxSent.inc({ channel, outcome: 'sent' });
      return;
    }
    if (result.permanent) {
      // Account deactivated, app removed, user not found: this identity cannot be reached any more.
      this.core.people.updateIdentity(route.identityId, { reachable: false, unreachableReason: result.reason.slice(0, 200) });
      this.core.logger.warn({ channel, personId: row.personId, reason: result.reason }, 'identity unreachable; stopped retrying');
      this.core.metrics.outboxSent.inc({ channel, outcome: 'permanent' });
      if (this.routes(row.personId).length > 0) {
        this.outbox.retryAt(row.id, now, `unreachable on ${channel}: ${result.reason}`);
        report.retried += 1;
      } else {
        this.outbox.finish(row.id, 'failed', `unreachable on ${channel}: ${result.reason}`);
        report.failed += 1;
      }
      return;
    }
    if (result.retryAfterMs) this.limiter.pause(channel, result.retryAfterMs);
    this.core.metrics.outboxSent.inc({ channel, outcome: 'retry' });
    if (row.attempts >= MAX_ATTEMPTS) {
      this.outbox.finish(row.id, 'failed', `gave up after ${row.attempts} attempts: ${result.reason}`);
      report.failed += 1;
      return;
    }
    const backoff = Math.max(result.retryAfterMs ?? 0, BACKOFF_BASE_MS * 2 ** (row.attempts - 1));
    this.outbox.retryAt(row.id, new Date(now.getTime() + backoff), result.reason);
    report.retried += 1;
  }

  /** Resolves claims abandoned by a process that died (see the semantics in outbox.ts). */
  private async recoverStale(now: Date): Promise<number> {
    let recovered = 0;
    for (const row of this.outbox.staleClaims(now, CLAIM_LEASE_MS)) {
      if (!this.outbox.takeOver(row.id, this.owner, now, CLAIM_LEASE_MS)) continue;
      recovered += 1;
      if (!row.inFlightAt) {
        this.outbox.release(row.id, now, 'claim abandoned before sending; sending again');
        continue;
      }
      const route = this.routes(row.personId).find((r) => r.sender.channel === row.channel);
      const inFlightAt = new Date(row.inFlightAt);
      let delivered: boolean | undefined;
      try {
        delivered = route?.sender.wasDelivered ? await route.sender.wasDelivered(route.target, row.dedupeKey, inFlightAt) : undefined;
      } catch (error) {
        this.core.logger.warn({ err: error, outboxId: row.id }, 'checking a send in doubt failed');
        delivered = undefined;
      }
      if (delivered === true) {
        this.outbox.markSent(row.id, now);
        if (row.kind === 'invitation') this.repo.markInvited(row.personId, now);
      } else if (delivered === false) this.outbox.release(row.id, now, 'not delivered before a crash; sending again');
      else if (route?.sender.wasDelivered && now.getTime() - inFlightAt.getTime() < IN_DOUBT_RECHECK_MS) {
        // The channel can tell but not now: keep the claim (takeOver renewed it) and ask after the next lease.
        this.core.logger.warn({ outboxId: row.id, kind: row.kind }, 'outbox row in doubt after a crash; asking the channel again later');
      } else {
        this.outbox.finish(row.id, 'failed', 'outcome unknown after a crash mid-send; not resent to avoid a duplicate');
        this.core.logger.warn({ outboxId: row.id, kind: row.kind }, 'outbox row in doubt after a crash; not resent');
      }
    }
    return recovered;
  }

  /** Reachable identities on channels running here; ones the person has already talked to us on come first. */
  private routes(personId: number): Route[] {
    const used = (i: { dmChannelId: string | null; conversationRef: string | null }) => (i.dmChannelId || i.conversationRef ? 0 : 1);
    return this.core.people
      .identitiesOf(personId)
      .filter((i) => i.reachable && this.core.senders.has(i.channel))
      .sort((a, b) => used(a) - used(b) || a.id - b.id)
      .map((i) => ({
        sender: this.core.senders.get(i.channel as ChannelKind)!,
        identityId: i.id,
        target: { personId, externalId: i.externalId, dmChannelId: i.dmChannelId, conversationRef: i.conversationRef },
      }));
  }

  /**
   * Asks the running channels that can look people up (ProactiveSender.discover) for an imported
   * person with an e-mail and no identity on that channel yet; a found identity is linked by the
   * channel. Returns the wait before asking again when a channel could not tell now.
   */
  private async discover(personId: number): Promise<{ retryAfterMs?: number }> {
    const person = this.core.people.byId(personId);
    if (!person?.email || person.isGuest) return {};
    const onChannels = new Set(this.core.people.identitiesOf(personId).map((i) => i.channel));
    let retryAfterMs: number | undefined;
    for (const sender of this.core.senders.values()) {
      if (!sender.discover || onChannels.has(sender.channel)) continue;
      let result: DiscoveryResult;
      try {
        result = await sender.discover({ personId, email: person.email });
      } catch (error) {
        this.core.logger.warn({ err: error, channel: sender.channel, personId }, 'looking a person up failed');
        result = { linked: false, retryAfterMs: NO_CHANNEL_RETRY_MS };
      }
      if (result.linked) return {};
      if (result.retryAfterMs !== undefined) retryAfterMs = Math.max(retryAfterMs ?? 0, result.retryAfterMs);
    }
    return { retryAfterMs };
  }

  private hasReachableIdentity(personId: number): boolean {
    return this.core.people.identitiesOf(personId).some((i) => i.reachable);
  }
}
