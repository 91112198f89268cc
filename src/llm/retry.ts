/**
 * Bounded retries with exponential backoff inside one overall time budget. A 429's Retry-After is
 * honoured when it fits in what is left of the budget; otherwise we give up at once rather than
 * keep the person waiting for an answer that cannot arrive in time.
 */

/** How a failed model call is classified. */
export type LlmFailureKind = 'timeout' | 'rate_limit' | 'server' | 'stream' | 'connection' | 'client' | 'aborted';

export class LlmUnavailableError extends Error {
  constructor(
    readonly kind: LlmFailureKind,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(`language model unavailable (${kind}) after ${attempts} attempt(s)`, options);
    this.name = 'LlmUnavailableError';
  }
}

export interface RetryOptions {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** The whole call, every attempt and wait included, must end within this many ms. */
  budgetMs: number;
  /** First backoff delay; doubles each retry, with jitter. */
  baseDelayMs?: number;
  /** Aborts waiting and the attempt in progress. */
  signal?: AbortSignal;
  /** Told about each failed attempt (metrics, logs). */
  onFailure?(kind: LlmFailureKind, attempt: number): void;
  /** Whether a failure of this kind may be retried in this attempt (e.g. not after tokens were shown). */
  mayRetry?(kind: LlmFailureKind, error: unknown): boolean;
}

interface ErrorLike {
  name?: string;
  status?: number;
  code?: string;
  message?: string;
  headers?: Headers | Record<string, string | undefined>;
  lc_error_code?: string;
  cause?: unknown;
}

/** Classifies an error thrown by the OpenAI client (through LangChain) or by our own timeout. */
export function classifyLlmError(error: unknown): LlmFailureKind {
  const e = (error ?? {}) as ErrorLike;
  if (e.name === 'AbortError' || e.name === 'APIUserAbortError') return 'aborted';
  if (e.name === 'TimeoutError' || e.name === 'APIConnectionTimeoutError' || /timed? ?out/i.test(e.message ?? '')) return 'timeout';
  if (e.status === 429 || e.lc_error_code === 'MODEL_RATE_LIMIT') return 'rate_limit';
  if (typeof e.status === 'number' && e.status >= 500) return 'server';
  if (typeof e.status === 'number' && e.status >= 400) return 'client';
  if (e.name === 'APIConnectionError' || /ECONNREFUSED|ECONNRESET|socket hang up|fetch failed|Connection error/i.test(e.message ?? '')) return 'connection';
  // A stream that ends without `[DONE]`/finish, or that dies half-way, surfaces as a generic error.
  return 'stream';
}

/** Retry-After in ms from an error's response headers (seconds or an HTTP date), if any. */
export function retryAfterMs(error: unknown, now = Date.now()): number | undefined {
  const headers = (error as ErrorLike | undefined)?.headers;
  if (!headers) return undefined;
  const get = (name: string): string | undefined =>
    typeof (headers as Headers).get === 'function' ? ((headers as Headers).get(name) ?? undefined) : (headers as Record<string, string | undefined>)[name];
  const ms = get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = get('retry-after');
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function isRetryable(kind: LlmFailureKind): boolean {
  return kind !== 'client' && kind !== 'aborted';
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `attempt` until it succeeds, a failure is not retryable, the retries are used up or the
 * budget is spent. Each attempt gets a signal that aborts when the budget ends.
 * @throws LlmUnavailableError with the last failure's kind.
 */
export async function callWithRetries<T>(attempt: (signal: AbortSignal, n: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const started = Date.now();
  const deadline = started + options.budgetMs;
  const base = options.baseDelayMs ?? 250;
  const budgetSignal = AbortSignal.timeout(options.budgetMs);
  const signal = options.signal ? AbortSignal.any([options.signal, budgetSignal]) : budgetSignal;
  let lastKind: LlmFailureKind = 'timeout';
  let lastError: unknown;
  let attempts = 0;
  for (let n = 0; n <= options.maxRetries; n++) {
    attempts = n + 1;
    try {
      return await attempt(signal, n);
    } catch (error) {
      lastError = error;
      lastKind = classifyLlmError(error);
      // Our own budget ending looks like an abort to the client: it is a timeout to the person.
      if (lastKind === 'aborted' && budgetSignal.aborted && !options.signal?.aborted) lastKind = 'timeout';
      options.onFailure?.(lastKind, n + 1);
      if (!isRetryable(lastKind) || (options.mayRetry && !options.mayRetry(lastKind, error)) || n === options.maxRetries) break;
      const left = deadline - Date.now();
      const hinted = lastKind === 'rate_limit' ? retryAfterMs(error) : undefined;
      const backoff = hinted ?? base * 2 ** n * (0.75 + Math.random() * 0.5);
      // Waiting longer than the budget allows would only postpone the fallback.
      if (backoff >= left - 50) break;
      try {
        await delay(backoff, signal);
      } catch {
        break;
      }
    }
  }
  throw new LlmUnavailableError(lastKind, attempts, { cause: lastError });
}
