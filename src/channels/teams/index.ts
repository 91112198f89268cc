/**
 * The Teams channel on botbuilder's CloudAdapter. Everything botbuilder-specific stays in this
 * folder, so a move to the Microsoft 365 Agents SDK touches nothing else.
 */
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import type { Request, Response } from 'express';
import type { CoreServices } from '../../core/core-services';
import { TeamsBot } from './teams-bot';

export interface TeamsChannel {
  adapter: CloudAdapter;
  /** Express handler for POST /api/messages. */
  handle(req: Request, res: Response): Promise<void>;
}

export function createTeamsChannel(core: CoreServices): TeamsChannel {
  const { config, logger } = core;
  if (!config.teams && !config.localMode) {
    throw new Error('Teams needs MicrosoftAppId (without an app id botbuilder checks no tokens); it runs unauthenticated only in local mode');
  }
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.teams?.appId,
    MicrosoftAppPassword: config.teams?.appPassword,
    MicrosoftAppType: config.teams?.appType,
    MicrosoftAppTenantId: config.teams?.tenantId,
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error({ err: error, channel: 'teams' }, 'teams turn failed');
    try {
      await context.sendActivity('申し訳ありません、問題が起きました。もう一度お試しください。 / Sorry, something went wrong. Please try again.');
    } catch {
      // The connector itself is unreachable: already logged above.
    }
  };
  const bot = new TeamsBot(core);
  return {
    adapter,
    handle: async (req, res) => {
      await adapter.process(req, res, (context) => bot.run(context));
    },
  };
}
