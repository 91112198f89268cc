/**
 * Pacing and retries for calls to the Bot Framework connector, following Teams' published limits
 * ("Optimize your bot with rate limiting in Teams"): per bot and conversation 7 operations a
 * second (8 per 2 s, 60 per 30 s, 1800 per hour), 50 a second per app and tenant; 429, 412, 502
 * and 504 are transient and retried with exponential backoff and random jitter.
 */

export interface Window {
  limit: number;
  ms: number;
}

/** Teams' per-bot-per-conversation limits. */
export const CONVERSATION_WINDOWS: Window[] = [
  { limit: 7, ms: 1_000 },
  { limit: 8, ms: 2_000 },
  { limit: 60, ms: 30_000 },
  { limit: 1_800, ms: 3_600_000 },
];

/** Teams' global limit per app per tenant. */
export const TENANT_WINDOWS: Window[] = [{ limit: 50, ms: 1_000 }];

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A sliding-window limiter over several windows at once. `acquire` resolves when one more call
 * fits in every window for the key, and books it before resolving, so concurrent callers queue.
 */
export class SlidingWindowLimiter {
  private readonly calls = new Map<string, number[]>();
  private readonly longest: number;

  constructor(
    private readonly windows: Window[],
    private readonly now: () => number = Date.now,
    private readonly sleep: Sleep = realSleep,
  ) {
    this.longest = Math.max(...windows.map((w) => w.ms));
  }

  /** Milliseconds until one more call fits for `key` (0 = now). */
  waitFor(key: string): number {
    const now = this.now();
    const times = this.prune(key, now);
    let wait = 0;
    for (const w of this.windows) {
      const inWindow = times.filter((t) => t > now - w.ms);
      if (inWindow.length >= w.limit) {
        // The call that must leave the window before one more fits.
        const release = inWindow[inWindow.length - w.limit]! + w.ms;
        wait = Math.max(wait, release - now);
      }
    }
    return wait;
  }

  async acquire(key: string): Promise<void> {
    for (;;) {
      const wait = this.waitFor(key);
      if (wait <= 0) {
        const times = this.calls.get(key) ?? [];
        times.push(this.now());
        this.calls.set(key, times);
        return;
      }
      await this.sleep(wait);
    }
  }

  private prune(key: string, now: number): number[] {
    const times = (this.calls.get(key) ?? []).filter((t) => t > now - this.longest);
    if (times.length === 0) this.calls.delete(key);
    else this.calls.set(key, times);
    return times;
  }
}

/** HTTP status of an error from the connector client (RestError) or a fetch, if any. */
export function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } } | null;
  const status = e?.statusCode ?? e?.status ?? e?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

/** Retry-After of a failed response in milliseconds (seconds or an HTTP date), if given. */
export function retryAfterMs(error: unknown, now = Date.now()): number | undefined {
  const headers = (error as { response?: { headers?: { get?(name: string): string | undefined | null } } } | null)?.response?.headers;
  const value = typeof headers?.get === 'function' ? headers.get('retry-after') : undefined;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export const TRANSIENT_STATUSES = new Set([429, 412, 502, 504]);

export interface RetryOptions {
  /** Total attempts including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep?: Sleep;
  random?: () => number;
  /** Called before each retry (for logs and metrics). */
  onRetry?: (info: { attempt: number; status: number; delayMs: number }) => void;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8_000 };

/**
 * Runs `call`, retrying transient connector failures with "full jitter" exponential backoff
 * (a random delay up to base·2ⁿ, capped), never shorter than the server's Retry-After.
 * Anything else, and the last transient failure, is thrown to the caller.
 */
export async function withRetry<T>(call: () => Promise<T>, options: RetryOptions = DEFAULT_RETRY): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const status = statusOf(error);
      if (status === undefined || !TRANSIENT_STATUSES.has(status) || attempt >= options.maxAttempts) throw error;
      const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
      const delayMs = Math.min(options.maxDelayMs * 4, Math.max(retryAfterMs(error) ?? 0, Math.round(random() * ceiling)));
      options.onRetry?.({ attempt, status, delayMs });
      await sleep(delayMs);
    }
  }
}
