/**
 * Reply → Teams activity. Pure functions (no botbuilder state, no clock), so every card is
 * tested as data. Cards are Adaptive Cards 1.5, the version Teams renders on desktop, web and
 * mobile; AI answers carry Teams' AI message format (label, citations, feedback buttons).
 */
import type { Activity, Attachment, Entity } from 'botbuilder';
import type { ActionButton, Citation, InputField, Locale, Reply } from '../../core/types';

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

/** Teams shows at most this many citations on one message (the Agents Playground enforces it too). */
const MAX_CITATIONS = 10;

const labels: Record<Locale, { sources: string; deadline: string; kinds: Record<Citation['kind'], string>; exportNote: (kb: string) => string }> = {
  ja: {
    sources: '出典',
    deadline: '締切',
    kinds: { training: '研修', posting: '社内公募', shadowing: 'ジョブシャドウイング', guide: 'ガイド' },
    exportNote: (kb) => `JSON ファイル(${kb} KB)を添付しました。`,
  },
  en: {
    sources: 'Sources',
    deadline: 'deadline',
    kinds: { training: 'Training', posting: 'Internal posting', shadowing: 'Job shadowing', guide: 'Guide' },
    exportNote: (kb) => `The JSON file (${kb} KB) is attached.`,
  },
};

/**
 * Teams reads `<topic>` in a message as an HTML tag and shows it escaped (`&lt;topic&gt;`), even in
 * code. Placeholders such as `trainings <topic>` therefore use single angle quotes: `‹topic›`.
 * Autolinks (`<https://…>`) are left alone.
 */
export function teamsSafePlaceholders(text: string): string {
  return text.replace(/<(?!https?:\/\/|mailto:|\s)([^<>\n]{0,59}[^<>\s])>/g, '‹$1›');
}

/** Markdown for a Teams message: the core's subset is already Teams markdown; `[n]` markers stay for citations. */
export function replyToMarkdown(reply: Reply): string {
  const parts: string[] = [];
  if (reply.title) parts.push(`**${reply.title}**`);
  if (reply.text) parts.push(teamsSafePlaceholders(reply.text));
  return parts.join('\n\n');
}

/** Adaptive Card TextBlock markdown has no code spans: `help` would show its backticks. */
function cardMarkdown(text: string): string {
  return teamsSafePlaceholders(text.replace(/`([^`\n]+)`/g, '$1'));
}

function textBlocks(text: string): unknown[] {
  return cardMarkdown(text)
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p, i) => ({ type: 'TextBlock', text: p, wrap: true, spacing: i === 0 ? 'Default' : 'Medium' }));
}

function inputElement(input: InputField): unknown {
  return {
    type: 'Input.Text',
    id: input.id,
    label: input.label,
    placeholder: input.placeholder,
    isMultiline: input.multiline ?? false,
    value: input.initial,
    isRequired: input.optional === false,
    errorMessage: input.optional === false ? input.label : undefined,
    maxLength: 4000,
  };
}

/**
 * One card button. `Action.Submit` posts its data back as a message with `value`; inputs on
 * the card are merged into it by Teams, so only the primary (submitting) action validates them.
 */
function actionElement(action: ActionButton, submitsInputs: boolean): unknown {
  if (action.url) return { type: 'Action.OpenUrl', title: action.label, url: action.url };
  return {
    type: 'Action.Submit',
    title: action.label,
    style: action.style === 'danger' ? 'destructive' : action.style === 'primary' ? 'positive' : 'default',
    associatedInputs: submitsInputs ? 'auto' : 'none',
    data: { action: action.id, ...(action.value !== undefined ? { value: action.value } : {}) },
  };
}

function sourcesContainer(sources: Citation[], locale: Locale): unknown {
  const l = labels[locale];
  return {
    type: 'Container',
    separator: true,
    spacing: 'Medium',
    items: [
      { type: 'TextBlock', text: l.sources, weight: 'Bolder', size: 'Small', wrap: true },
      ...sources.map((s) => ({
        type: 'TextBlock',
        wrap: true,
        spacing: 'Small',
        text: `[${s.n}] [${s.title}](${s.url}) · ${l.kinds[s.kind]}${s.deadline ? ` · ${l.deadline} ${s.deadline}` : ''}`,
      })),
    ],
  };
}

/** The Adaptive Card of a reply: title, text, sources, input fields and buttons. */
export function replyCard(reply: Reply, options: { includeText?: boolean } = {}): Record<string, unknown> {
  const includeText = options.includeText ?? true;
  const body: unknown[] = [];
  if (includeText && reply.title) body.push({ type: 'TextBlock', text: reply.title, weight: 'Bolder', size: 'Medium', wrap: true, style: 'heading' });
  if (includeText) body.push(...textBlocks(reply.text));
  if (reply.sources && reply.sources.length > 0) body.push(sourcesContainer(reply.sources, reply.locale));
  body.push(...(reply.inputs ?? []).map(inputElement));
  const firstPrimary = (reply.actions ?? []).findIndex((a) => a.style === 'primary' && !a.url);
  const actions = (reply.actions ?? []).map((a, i) => actionElement(a, (reply.inputs?.length ?? 0) > 0 && i === firstPrimary));
  const card: Record<string, unknown> = { type: 'AdaptiveCard', $schema: CARD_SCHEMA, version: '1.5', body, msteams: { width: 'Full' } };
  if (actions.length > 0) card.actions = actions;
  return card;
}

/**
 * Teams' citation format: `[n]` in the text points at the claim with `position: n`.
 * The abstract is what the citation pop-up shows; documents have no snippet here, so it says
 * what kind of document it is and, for postings, the deadline.
 */
export function citations(reply: Reply): Array<Record<string, unknown>> {
  const l = labels[reply.locale];
  return (reply.sources ?? []).slice(0, MAX_CITATIONS).map((s) => ({
    '@type': 'Claim',
    position: s.n,
    appearance: {
      '@type': 'DigitalDocument',
      name: s.title.slice(0, 80),
      url: s.url,
      abstract: `${l.kinds[s.kind]} (${s.id})${s.deadline ? ` · ${l.deadline} ${s.deadline}` : ''}`,
      keywords: [l.kinds[s.kind]],
    },
  }));
}

/** The `https://schema.org/Message` entity: AI-generated label and citations. Undefined when neither applies. */
export function aiMessageEntity(reply: Reply): Entity | undefined {
  const claims = citations(reply);
  if (!reply.generated && claims.length === 0) return undefined;
  const entity: Record<string, unknown> = {
    type: 'https://schema.org/Message',
    '@type': 'Message',
    '@context': 'https://schema.org',
    '@id': '',
  };
  if (reply.generated) entity.additionalType = ['AIGeneratedContent'];
  entity.citation = claims;
  return entity as Entity;
}

/** Attachments of an export: the JSON itself, inline, as Teams allows without the file consent flow. */
function fileAttachments(reply: Reply): Attachment[] {
  if (!reply.file) return [];
  let content: unknown = reply.file.content;
  try {
    content = JSON.parse(reply.file.content);
  } catch {
    // Not JSON after all: hand it over as text.
  }
  return [{ contentType: reply.file.mimeType, name: reply.file.name, content }];
}

/** An answer: markdown text with `[n]` markers and the AI entity; sources and buttons in a card below. */
function renderAnswer(answer: Reply): Partial<Activity> {
  // Teams draws its own 👍/👎 (feedbackLoopEnabled); the core's feedback buttons would be a second pair.
  const reply = answer.answerId !== undefined ? { ...answer, actions: answer.actions?.filter((a) => !a.id.startsWith('feedback.')) } : answer;
  const activity: Partial<Activity> = { type: 'message', text: replyToMarkdown(reply), textFormat: 'markdown' };
  const entity = aiMessageEntity(reply);
  if (entity) activity.entities = [entity];
  if ((reply.sources?.length ?? 0) > 0 || (reply.actions?.length ?? 0) > 0) {
    activity.attachments = [{ contentType: ADAPTIVE_CARD, content: replyCard(reply, { includeText: false }) }];
  }
  if (reply.answerId !== undefined) activity.channelData = { feedbackLoopEnabled: true };
  return activity;
}

/**
 * The activity for one reply. Answers are text (citations and the feedback loop work on text);
 * anything with buttons or fields is a card; plain information is markdown text.
 */
export function renderReply(reply: Reply): Partial<Activity> {
  if (reply.kind === 'answer' || reply.generated || reply.answerId !== undefined) return renderAnswer(reply);
  if (reply.file) {
    const kb = (Buffer.byteLength(reply.file.content, 'utf8') / 1024).toFixed(1);
    const card = replyCard({ ...reply, text: `${reply.text}\n\n${labels[reply.locale].exportNote(kb)}` });
    return {
      type: 'message',
      attachments: [{ contentType: ADAPTIVE_CARD, content: card }, ...fileAttachments(reply)],
    };
  }
  const hasCardParts = (reply.actions?.length ?? 0) > 0 || (reply.inputs?.length ?? 0) > 0 || (reply.sources?.length ?? 0) > 0;
  if (hasCardParts) {
    return { type: 'message', summary: reply.title ?? firstLine(reply.text), attachments: [{ contentType: ADAPTIVE_CARD, content: replyCard(reply) }] };
  }
  return { type: 'message', text: replyToMarkdown(reply), textFormat: 'markdown' };
}

function firstLine(text: string): string {
  const line = cardMarkdown(text).split('\n').find((l) => l.trim()) ?? '';
  return line.replace(/[*_]/g, '').slice(0, 120);
}
