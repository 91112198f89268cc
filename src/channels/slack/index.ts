/** The Slack channel on Bolt: Socket Mode with SLACK_APP_TOKEN, else HTTP at POST /slack/events. */
import type { Express } from 'express';
import type { CoreServices } from '../../core/core-services';

export interface SlackChannel {
  stop(): Promise<void>;
}

export async function createSlackChannel(core: CoreServices, _app: Express): Promise<SlackChannel | undefined> {
  if (!core.config.slack) return undefined;
  // Filled in by the Slack channel.
  return undefined;
}
