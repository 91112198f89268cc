/** What every Slack listener needs: the core, the interactive Web API client, identity and logging. */
import type { ResponderDeps } from '../responder';

export interface ListenerDeps extends ResponderDeps {
  /**
   * Runs the work that follows an acknowledgement once pending acknowledgements have gone out
   * (see AckFirstQueue). Every listener wraps everything after `ack()` in it.
   */
  afterAck<T>(work: () => Promise<T>): Promise<T>;
  /** The bot's own user id (auth.test), to strip mentions of it and ignore its own messages. */
  botUserId?: string;
}
