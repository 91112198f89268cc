/**
 * Buttons (block_actions) and modal submissions (view_submission) → Turn.action. The action id is
 * the core's (`command` runs a chat command; `feedback.up`, `forget.confirm` … go to their handlers).
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Surface } from '../../../core/types';
import { baseActionId, readInputs } from '../blocks';
import { publishHome } from '../home';
import { errorInfo, runTurn, type Place } from '../responder';
import type { ListenerDeps } from './deps';

interface ModalMetadata {
  a: string;
  v?: string;
  c?: string;
  t?: string;
}

export function registerActionListeners(app: App, deps: ListenerDeps): void {
  app.action({ type: 'block_actions' }, async ({ ack, body, action, context }) => {
    const receivedAt = Date.now();
    await ack();
    const b = body as BlockAction;
    if (action.type !== 'button') return;
    const button = action as ButtonAction;
    if (button.url && button.value === undefined) return; // a link button: Slack opened the URL
    const container = b.container as { type?: string; channel_id?: string; message_ts?: string; is_ephemeral?: boolean; thread_ts?: string };
    const fromHome = container.type === 'view';
    const channel = b.channel?.id ?? container.channel_id;
    const threadTs = (b.message as { thread_ts?: string } | undefined)?.thread_ts ?? container.thread_ts;
    const ephemeral = container.is_ephemeral === true;
    const isDm = channel?.startsWith('D') ?? false;
    const surface: Surface = fromHome ? 'dm' : isDm ? (threadTs ? 'assistant' : 'dm') : ephemeral ? 'command' : 'mention';
    const userId = b.user.id;
    await deps.afterAck(async () => {
      const actor = await deps.identity.actorFor(userId, b.user.team_id ?? b.team?.id ?? context.teamId);
      const place: Place = {
        kind: fromHome ? 'view' : 'action',
        userId,
        teamId: context.teamId,
        channel: fromHome ? undefined : channel,
        threadTs,
        shared: !fromHome && !isDm,
        responseUrl: b.response_url,
        source: fromHome ? undefined : { channel, ts: container.message_ts, ephemeral },
        trigger: b.trigger_id ? { id: b.trigger_id, receivedAt } : undefined,
      };
      await runTurn(
        deps,
        {
          actor,
          surface,
          threadKey: fromHome ? `slack:home:${userId}` : `slack:${channel}${threadTs ? `:${threadTs}` : ''}`,
          action: { id: baseActionId(button.action_id), value: button.value, inputs: readInputs(b.state?.values as never) },
        },
        place,
      );
      if (fromHome) await publishHome(deps, userId, context.teamId);
    });
  });

  app.view('tsumiki.inputs', async ({ ack, view, body, context }) => {
    await ack();
    let meta: ModalMetadata;
    try {
      meta = parseModalMetadata(view.private_metadata);
    } catch (error) {
      deps.logger.warn({ err: errorInfo(error) }, 'modal without metadata');
      return;
    }
    const userId = body.user.id;
    await deps.afterAck(async () => {
      const actor = await deps.identity.actorFor(userId, body.user.team_id ?? context.teamId);
      const dm = meta.c?.startsWith('D') ? meta.c : undefined;
      await runTurn(
        deps,
        {
          actor,
          surface: meta.t && dm ? 'assistant' : 'dm',
          threadKey: dm ? `slack:${dm}${meta.t ? `:${meta.t}` : ''}` : `slack:home:${userId}`,
          action: { id: meta.a, value: meta.v, inputs: readInputs(view.state?.values as never) },
        },
        { kind: dm ? 'dm' : 'view', userId, teamId: context.teamId, channel: dm, threadTs: dm ? meta.t : undefined, shared: false },
      );
    });
  });
}

/** The metadata Responder.openModal wrote; anything else in its place is refused. */
function parseModalMetadata(raw: string | undefined): ModalMetadata {
  const parsed = JSON.parse(raw ?? '') as Record<string, unknown> | null;
  if (!parsed || typeof parsed !== 'object' || typeof parsed.a !== 'string' || !parsed.a) throw new Error('no action id in the modal metadata');
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return { a: parsed.a, v: text(parsed.v), c: text(parsed.c), t: text(parsed.t) };
}
