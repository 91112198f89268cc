/**
 * Send-rate limits per channel: a global cap (messages per second for the whole app) and a
 * minimum interval per conversation (Slack: about one message a second per channel; Teams:
 * 7 a second per conversation). Slots are reserved in call order (GCRA-style), so throughput is
 * exactly the configured rate however many sends run concurrently. A `Retry-After` from the
 * platform pauses the whole channel until it has passed.
 */

export interface ChannelLimits {
  /** Global cap, messages per second. */
  perSecond: number;
  /** Per conversation, messages per second. */
  perConversationPerSecond: number;
}

/** Defaults from the platforms' documented limits (Slack chat.postMessage; Bot Framework per conversation). */
export const DEFAULT_LIMITS: Record<string, ChannelLimits> = {
  slack: { perSecond: 10, perConversationPerSecond: 1 },
  teams: { perSecond: 30, perConversationPerSecond: 7 },
  cli: { perSecond: 1000, perConversationPerSecond: 1000 },
};

interface ChannelState {
  limits: ChannelLimits;
  nextFree: number;
  conversations: Map<string, number>;
  pausedUntil: number;
}

export class RateLimiter {
  private readonly channels = new Map<string, ChannelState>();

  constructor(
    private readonly limits: Record<string, ChannelLimits> = DEFAULT_LIMITS,
    private readonly clock: () => number = () => performance.now() + performance.timeOrigin,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  private state(channel: string): ChannelState {
    let s = this.channels.get(channel);
    if (!s) {
      s = { limits: this.limits[channel] ?? DEFAULT_LIMITS.slack!, nextFree: 0, conversations: new Map(), pausedUntil: 0 };
      this.channels.set(channel, s);
    }
    return s;
  }

  /**
   * Reserves the next slot for a message to `conversation` on `channel` and waits for it.
   * Returns the wait in ms *without* reserving when it would exceed `maxWaitMs` (a long
   * Retry-After): the caller then puts the message back for later instead of holding a worker.
   */
  async acquire(channel: string, conversation: string, maxWaitMs = Infinity): Promise<{ ok: true } | { ok: false; waitMs: number }> {
    const wait = this.reserve(channel, conversation, maxWaitMs);
    if (wait > maxWaitMs) return { ok: false, waitMs: wait };
    if (wait > 0) await this.sleep(wait);
    return { ok: true };
  }

  /** Reserves a slot (unless it is further away than `maxWaitMs`) and returns how long to wait for it, in ms. */
  reserve(channel: string, conversation: string, maxWaitMs = Infinity): number {
    const s = this.state(channel);
    const now = this.clock();
    const globalInterval = 1000 / s.limits.perSecond;
    const convInterval = 1000 / s.limits.perConversationPerSecond;
    const slot = Math.max(now, s.nextFree, s.pausedUntil, s.conversations.get(conversation) ?? 0);
    if (slot - now > maxWaitMs) return slot - now;
    s.nextFree = slot + globalInterval;
    s.conversations.set(conversation, slot + convInterval);
    if (s.conversations.size > 10_000) {
      for (const [key, free] of s.conversations) if (free < now) s.conversations.delete(key);
    }
    return slot - now;
  }

  /** The platform said "slow down": nothing more on this channel until `retryAfterMs` has passed. */
  pause(channel: string, retryAfterMs: number): void {
    const s = this.state(channel);
    s.pausedUntil = Math.max(s.pausedUntil, this.clock() + retryAfterMs);
    s.nextFree = Math.max(s.nextFree, s.pausedUntil);
  }
}
