/**
 * `/career <command>`: acknowledged at once (Slack allows 3 s), answered afterwards through the
 * response_url as ephemeral messages. Empty input shows help; the router handles unknown words.
 */
import type { App } from '@slack/bolt';
import { slackTextToPlain } from '../mrkdwn';
import { runTurn } from '../responder';
import type { ListenerDeps } from './deps';

export const SLASH_COMMAND = '/career';

export function registerCommandListeners(app: App, deps: ListenerDeps): void {
  app.command(SLASH_COMMAND, async ({ command, ack, context }) => {
    const receivedAt = Date.now();
    await ack();
    await deps.afterAck(async () => {
      const actor = await deps.identity.actorFor(command.user_id, command.team_id ?? context.teamId);
      const text = slackTextToPlain(command.text ?? '').trim() || 'help';
      await runTurn(
        deps,
        { actor, surface: 'command', threadKey: `slack:command:${command.user_id}`, text },
        {
          kind: 'command',
          userId: command.user_id,
          teamId: command.team_id,
          channel: command.channel_id,
          shared: !command.channel_id.startsWith('D'),
          responseUrl: command.response_url,
          trigger: { id: command.trigger_id, receivedAt },
        },
      );
    });
  });
}
