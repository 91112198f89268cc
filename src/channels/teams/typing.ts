/**
 * The typing indicator, sent only when an answer is not ready within a moment. Every activity
 * counts against Teams' per-conversation limit (8 in 2 s): a typing indicator before an answer
 * that is ready in milliseconds (commands, offline mode) shows nothing anyone could see and
 * spends half of a quick exchange's budget, so someone typing a few commands in a row was
 * throttled. A slow answer still shows "typing…" almost at once.
 */
import type { TurnContext } from 'botbuilder';
import type { Logger } from 'pino';

export class DeferredTyping {
  private timer?: NodeJS.Timeout;
  private sending?: Promise<unknown>;

  constructor(context: TurnContext, delayMs: number, logger: Logger) {
    const send = () => {
      this.timer = undefined;
      this.sending = context.sendActivity({ type: 'typing' }).catch((error: unknown) => {
        // Only a courtesy: the answer itself will still be sent (and its failure reported).
        logger.debug({ err: { message: (error as Error)?.message }, channel: 'teams' }, 'typing indicator not sent');
      });
    };
    if (delayMs <= 0) send();
    else this.timer = setTimeout(send, delayMs);
  }

  /** Call when the answer is ready: cancels the indicator if it has not gone out, else waits for it (order). */
  async settle(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.sending;
  }
}
