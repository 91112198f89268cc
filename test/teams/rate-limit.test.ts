/** Teams pacing and retries as pure logic, on a fake clock. */
import { CONVERSATION_WINDOWS, SlidingWindowLimiter, withRetry } from '../../src/channels/teams/rate-limit';

function fakeClock() {
  let now = 0;
  return { now: () => now, sleep: async (ms: number) => void (now += ms) };
}

it('lets 7 calls through in a second, the 8th after the first leaves the window, the 9th after 2 s', async () => {
  const clock = fakeClock();
  const limiter = new SlidingWindowLimiter(CONVERSATION_WINDOWS, clock.now, clock.sleep);
  const times: number[] = [];
  for (let i = 0; i < 9; i++) {
    await limiter.acquire('c1');
    times.push(clock.now());
  }
  expect(times.slice(0, 7)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  expect(times[7]).toBe(1000);
  expect(times[8]).toBe(2000); // 8 per 2 seconds
});

it('keeps conversations apart', async () => {
  const clock = fakeClock();
  const limiter = new SlidingWindowLimiter(CONVERSATION_WINDOWS, clock.now, clock.sleep);
  for (let i = 0; i < 7; i++) await limiter.acquire('c1');
  await limiter.acquire('c2');
  expect(clock.now()).toBe(0);
});

const failure = (status: number, retryAfter?: string) =>
  Object.assign(new Error(`HTTP ${status}`), { statusCode: status, response: { status, headers: { get: (n: string) => (n === 'retry-after' ? retryAfter : undefined) } } });

it('retries transient statuses with jittered exponential delays, at least Retry-After', async () => {
  const delays: number[] = [];
  let calls = 0;
  const result = await withRetry(
    async () => {
      calls++;
      if (calls === 1) throw failure(502);
      if (calls === 2) throw failure(429, '3');
      return 'sent';
    },
    { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8000, random: () => 0.5, sleep: async (ms) => void delays.push(ms) },
  );
  expect(result).toBe('sent');
  expect(delays).toEqual([250, 3000]);
});

it('does not retry other failures and stops after maxAttempts', async () => {
  let calls = 0;
  await expect(withRetry(async () => { calls++; throw failure(403); }, { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => {} })).rejects.toThrow('HTTP 403');
  expect(calls).toBe(1);
  calls = 0;
  await expect(withRetry(async () => { calls++; throw failure(504); }, { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => {} })).rejects.toThrow('HTTP 504');
  expect(calls).toBe(3);
});
