/** Direct messages (message.im) → the consultation and chat commands (surface 'dm'). */
import type { App } from '@slack/bolt';
import { slackTextToPlain } from '../mrkdwn';
import { runTurn } from '../responder';
import type { ListenerDeps } from './deps';

/** Subtypes that are a person writing; edits, joins, deletions and bot posts are ignored. */
const PERSON_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast']);

export function registerMessageListeners(app: App, deps: ListenerDeps): void {
  app.message(async ({ message, context }) => {
    const m = message as { subtype?: string; channel_type?: string; channel: string; user?: string; bot_id?: string; text?: string; ts: string; thread_ts?: string; files?: unknown[] };
    if (m.channel_type !== 'im' || !PERSON_SUBTYPES.has(m.subtype) || m.bot_id || !m.user || m.user === deps.botUserId) return;
    await deps.afterAck(async () => {
      const actor = await deps.identity.actorFor(m.user!, context.teamId);
      await runTurn(
        deps,
        {
          actor,
          surface: 'dm',
          threadKey: m.thread_ts ? `slack:${m.channel}:${m.thread_ts}` : `slack:${m.channel}`,
          text: slackTextToPlain(m.text ?? ''),
          attachments: m.files?.length ?? 0,
        },
        { kind: 'dm', userId: m.user!, teamId: context.teamId, channel: m.channel, threadTs: m.thread_ts, shared: false },
      );
    });
  });
}
