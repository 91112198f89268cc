/** Reply → Teams activity. Pure functions: no botbuilder state, easy to test. */
import type { Reply } from '../../core/types';

export interface TeamsMessage {
  type: 'message';
  text?: string;
  textFormat?: 'markdown' | 'plain';
  attachments?: Array<{ contentType: string; content: unknown; name?: string }>;
}

/** Markdown for Teams: the core's subset is already close; sources become numbered links. */
export function replyToMarkdown(reply: Reply): string {
  const parts: string[] = [];
  if (reply.title) parts.push(`**${reply.title}**`);
  parts.push(reply.text);
  if (reply.sources && reply.sources.length > 0) {
    parts.push(reply.sources.map((s) => `[${s.n}] [${s.title}](${s.url})`).join('\n\n'));
  }
  return parts.join('\n\n');
}

export function renderReply(reply: Reply): TeamsMessage {
  const message: TeamsMessage = { type: 'message', text: replyToMarkdown(reply), textFormat: 'markdown' };
  if ((reply.actions && reply.actions.length > 0) || (reply.inputs && reply.inputs.length > 0)) {
    message.attachments = [{ contentType: 'application/vnd.microsoft.card.adaptive', content: actionsCard(reply) }];
  }
  return message;
}

function actionsCard(reply: Reply): unknown {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: (reply.inputs ?? []).map((input) => ({
      type: 'Input.Text',
      id: input.id,
      label: input.label,
      placeholder: input.placeholder,
      isMultiline: input.multiline ?? false,
      value: input.initial,
      isRequired: !(input.optional ?? true),
    })),
    actions: (reply.actions ?? []).map((a) =>
      a.url
        ? { type: 'Action.OpenUrl', title: a.label, url: a.url }
        : { type: 'Action.Submit', title: a.label, style: a.style === 'danger' ? 'destructive' : a.style === 'primary' ? 'positive' : 'default', data: { action: a.id, value: a.value } },
    ),
  };
}
