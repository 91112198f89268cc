/** What every Slack listener needs: the core, the interactive Web API client, identity and logging. */
import type { ResponderDeps } from '../responder';

export interface ListenerDeps extends ResponderDeps {
  /** The bot's own user id (auth.test), to strip mentions of it and ignore its own messages. */
  botUserId?: string;
}
