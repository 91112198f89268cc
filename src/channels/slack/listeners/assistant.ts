/**
 * The AI assistant pane (Bolt's Assistant): suggested prompts when a thread starts, the title
 * from the first question, "thinking" status, and answers streamed into the thread.
 */
import { Assistant, type App } from '@slack/bolt';
import { slackTextToPlain, truncateText } from '../mrkdwn';
import { errorInfo, runTurn } from '../responder';
import { slackTexts } from '../texts';
import type { ListenerDeps } from './deps';

/** Slack shows at most four suggested prompts. */
export const MAX_SUGGESTED_PROMPTS = 4;

export function registerAssistant(app: App, deps: ListenerDeps): void {
  const titled = new Set<string>();
  app.assistant(
    new Assistant({
      threadStarted: async ({ event, setSuggestedPrompts, saveThreadContext, say, context }) => {
        const userId = event.assistant_thread.user_id;
        try {
          const actor = await deps.identity.actorFor(userId, context.teamId);
          const t = slackTexts[actor.locale];
          await setSuggestedPrompts({ title: t.assistantPromptsTitle, prompts: t.suggestedPrompts.slice(0, MAX_SUGGESTED_PROMPTS) });
          // Bolt's say() carries the thread context (the channel the person is viewing) as metadata.
          await say(t.assistantGreeting);
        } catch (error) {
          deps.logger.warn({ err: errorInfo(error) }, 'assistant thread setup failed');
        }
        await saveThreadContext().catch((error: unknown) => deps.logger.warn({ err: errorInfo(error) }, 'saving the assistant thread context failed'));
      },
      threadContextChanged: async ({ saveThreadContext }) => {
        await saveThreadContext();
      },
      userMessage: async ({ message, setTitle, setStatus, sayStream, context }) => {
        const m = message as { user?: string; bot_id?: string; subtype?: string; channel: string; thread_ts?: string; ts: string; text?: string; files?: unknown[] };
        if (!m.user || m.bot_id || m.user === deps.botUserId || !m.thread_ts) return;
        const text = slackTextToPlain(m.text ?? '');
        const threadKey = `slack:${m.channel}:${m.thread_ts}`;
        if (!titled.has(threadKey) && text) {
          titled.add(threadKey);
          if (titled.size > 10_000) titled.clear();
          await setTitle(truncateText(text.replace(/\s+/g, ' '), 60)).catch((error: unknown) => deps.logger.warn({ err: errorInfo(error) }, 'setTitle failed'));
        }
        await deps.afterAck(async () => {
          const actor = await deps.identity.actorFor(m.user!, context.teamId);
          await runTurn(
            deps,
            { actor, surface: 'assistant', threadKey, text, attachments: m.files?.length ?? 0 },
            {
              kind: 'assistant',
              userId: m.user!,
              teamId: context.teamId,
              channel: m.channel,
              threadTs: m.thread_ts,
              shared: false,
              openStream: () => sayStream(),
              setStatus: (status) => setStatus(status),
            },
          );
        });
      },
    }),
  );
}
