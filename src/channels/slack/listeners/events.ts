/** App Home (app_home_opened) and @mentions in channels (app_mention, answered in the thread). */
import type { App } from '@slack/bolt';
import { publishHome } from '../home';
import { slackTextToPlain, stripBotMention } from '../mrkdwn';
import { runTurn } from '../responder';
import type { ListenerDeps } from './deps';

export function registerEventListeners(app: App, deps: ListenerDeps): void {
  app.event('app_home_opened', async ({ event, context }) => {
    if (event.tab !== 'home') return;
    await deps.afterAck(() => publishHome(deps, event.user, context.teamId));
  });

  app.event('app_mention', async ({ event, context, sayStream }) => {
    const e = event as { user?: string; bot_id?: string; subtype?: string; channel: string; ts: string; thread_ts?: string; text: string; files?: unknown[] };
    if (!e.user || e.bot_id || e.subtype || e.user === deps.botUserId) return;
    const threadTs = e.thread_ts ?? e.ts;
    await deps.afterAck(async () => {
      const actor = await deps.identity.actorFor(e.user!, context.teamId);
      await runTurn(
        deps,
        {
          actor,
          // The router answers a mention from company documents only and refuses personal commands.
          surface: 'mention',
          threadKey: `slack:${e.channel}:${threadTs}`,
          text: stripBotMention(slackTextToPlain(e.text), deps.botUserId),
          attachments: e.files?.length ?? 0,
        },
        {
          kind: 'mention',
          userId: e.user!,
          teamId: context.teamId,
          channel: e.channel,
          threadTs,
          shared: true,
          // In channels Slack needs recipient_team_id and recipient_user_id: Bolt's sayStream sets both.
          openStream: sayStream ? () => sayStream() : undefined,
        },
      );
    });
  });
}
