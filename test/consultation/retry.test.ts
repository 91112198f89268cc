import { callWithRetries, classifyLlmError, LlmUnavailableError, retryAfterMs } from '../../src/llm';

function httpError(status: number, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(`status ${status}`), { status, headers: new Headers(headers) });
}

describe('callWithRetries', () => {
  test('retries a 5xx with backoff and returns the first success', async () => {
    let calls = 0;
    const result = await callWithRetries(
      async () => {
        calls++;
        if (calls < 3) throw httpError(503);
        return 'ok';
      },
      { maxRetries: 2, budgetMs: 2000, baseDelayMs: 5 },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  test('honours Retry-After when it fits the budget', async () => {
    const times: number[] = [];
    await callWithRetries(
      async () => {
        times.push(Date.now());
        if (times.length === 1) throw httpError(429, { 'retry-after': '0.3' });
        return 'ok';
      },
      { maxRetries: 2, budgetMs: 2000, baseDelayMs: 5 },
    );
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(280);
  });

  test('gives up at once when Retry-After is beyond the budget', async () => {
    const started = Date.now();
    await expect(
      callWithRetries(
        async () => {
          throw httpError(429, { 'retry-after': '60' });
        },
        { maxRetries: 3, budgetMs: 1000 },
      ),
    ).rejects.toMatchObject({ name: 'LlmUnavailableError', kind: 'rate_limit', attempts: 1 });
    expect(Date.now() - started).toBeLessThan(500);
  });

  test('does not retry a client error (bad key, unknown model)', async () => {
    let calls = 0;
    await expect(
      callWithRetries(
        async () => {
          calls++;
          throw httpError(401);
        },
        { maxRetries: 3, budgetMs: 1000 },
      ),
    ).rejects.toBeInstanceOf(LlmUnavailableError);
    expect(calls).toBe(1);
  });

  test('the budget ends a hanging attempt as a timeout', async () => {
    const started = Date.now();
    await expect(
      callWithRetries(
        (signal) =>
          new Promise((_resolve, reject) => {
            signal.addEventListener('abort', () => reject(signal.reason));
          }),
        { maxRetries: 5, budgetMs: 200 },
      ),
    ).rejects.toMatchObject({ kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test('classifies errors and reads Retry-After in seconds or as a date', () => {
    expect(classifyLlmError(httpError(429))).toBe('rate_limit');
    expect(classifyLlmError(httpError(500))).toBe('server');
    expect(classifyLlmError(Object.assign(new Error('Request timed out.'), { name: 'TimeoutError' }))).toBe('timeout');
    expect(classifyLlmError(new Error('Connection error.'))).toBe('connection');
    expect(retryAfterMs(httpError(429, { 'retry-after': '2' }))).toBe(2000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs(httpError(429, { 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }), now)).toBe(3000);
  });
});
