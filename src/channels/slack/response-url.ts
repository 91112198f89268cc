/**
 * Posts to a slash command's or an action's `response_url` with a timeout and one retry on a
 * network error or 5xx (Bolt's `respond` has neither). A response_url takes five posts in 30 minutes.
 */
export interface ResponseUrlMessage {
  text: string;
  blocks?: unknown[];
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
  delete_original?: boolean;
  thread_ts?: string;
}

export async function postToResponseUrl(url: string, message: ResponseUrlMessage, options: { timeoutMs?: number; retries?: number } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  let attempt = 0;
  for (;;) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (response.ok) return;
      const error = new Error(`response_url answered ${response.status}`);
      if (response.status < 500 || attempt >= (options.retries ?? 1)) throw error;
    } catch (error) {
      if ((error as Error).message.startsWith('response_url answered 4') || attempt >= (options.retries ?? 1)) throw error;
    }
    attempt += 1;
    await new Promise((r) => setTimeout(r, 300 * attempt));
  }
}
