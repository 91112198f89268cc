/**
 * Reply → Block Kit. Pure functions (no Web API, no state), so Slack's limits are tested here:
 * 50 blocks and about 12,000 characters a message, 3,000 characters a section, 150 a header,
 * 75 a button label, 10 elements a context block, 25 an actions block.
 */
import { DateTime } from 'luxon';
import type { types as SlackTypes } from '@slack/bolt';
import type { ActionButton, Citation, InputField, Locale, Reply } from '../../core/types';
import type { ReflectionOverview } from '../../reflections/overview';
import { escapeMrkdwn, markdownToMrkdwn, splitText, truncateText } from './mrkdwn';
import { slackTexts } from './texts';

type KnownBlock = SlackTypes.KnownBlock;
type Button = SlackTypes.Button;

/** Slack's documented limits, in characters unless said otherwise. */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  contextElements: 10,
  actionsElements: 25,
  /** Slack truncates messages beyond ~40k, but recommends staying far lower; we split at this. */
  messageText: 12000,
  fallbackText: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  inputLabel: 2000,
  placeholder: 150,
  modalTitle: 24,
  privateMetadata: 3000,
} as const;

/** One chat.postMessage worth of content. */
export interface SlackMessage {
  /** Notification / accessibility fallback. */
  text: string;
  blocks: KnownBlock[];
}

export interface RenderOptions {
  /** Render `reply.inputs` as input blocks in the message (when no modal can be opened). */
  inlineInputs?: boolean;
}

const plain = (text: string, max: number): SlackTypes.PlainTextElement => ({ type: 'plain_text', text: truncateText(text, max), emoji: true });

/** A button for an ActionButton; danger buttons get a confirmation dialog. */
export function renderButton(action: ActionButton, locale: Locale): Button {
  const t = slackTexts[locale];
  const button: Button = {
    type: 'button',
    text: plain(action.label, SLACK_LIMITS.buttonText),
    action_id: truncateText(action.id, SLACK_LIMITS.actionId),
  };
  if (action.url) button.url = action.url;
  if (action.value !== undefined) button.value = truncateText(action.value, SLACK_LIMITS.buttonValue);
  if (action.style) button.style = action.style;
  if (action.style === 'danger') {
    button.confirm = {
      title: plain(t.confirmTitle, SLACK_LIMITS.confirmTitle),
      text: plain(t.confirmText, SLACK_LIMITS.confirmText),
      confirm: plain(t.confirmYes, SLACK_LIMITS.confirmButton),
      deny: plain(t.confirmNo, SLACK_LIMITS.confirmButton),
      style: 'danger',
    };
  }
  return button;
}

/**
 * Slack rejects two elements with the same action_id in one block; a reply may reuse an id with
 * different values (e.g. several `command` buttons), so duplicates get a numbered suffix that the
 * action listener strips again (see `baseActionId`).
 */
function uniqueActionIds(buttons: Button[]): Button[] {
  const seen = new Map<string, number>();
  return buttons.map((b) => {
    const id = b.action_id ?? '';
    const n = seen.get(id) ?? 0;
    seen.set(id, n + 1);
    return n === 0 ? b : { ...b, action_id: `${id}#${n}` };
  });
}

/** The action id as the core registered it (without the `#n` suffix added for uniqueness). */
export function baseActionId(actionId: string): string {
  return actionId.replace(/#\d+$/, '');
}

function actionsBlocks(actions: ActionButton[], locale: Locale, blockIdPrefix: string): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  for (let i = 0; i < actions.length; i += SLACK_LIMITS.actionsElements) {
    const elements = uniqueActionIds(actions.slice(i, i + SLACK_LIMITS.actionsElements).map((a) => renderButton(a, locale)));
    blocks.push({ type: 'actions', block_id: `${blockIdPrefix}${i === 0 ? '' : `:${i}`}`, elements });
  }
  return blocks;
}

/** One line per source: "[1] <url|title> · deadline 2026-12-01". */
export function sourceLine(source: Citation, locale: Locale, today: string): string {
  const t = slackTexts[locale];
  const link = /^https?:\/\//.test(source.url) ? `<${source.url.replace(/[<>|\s]/g, encodeURIComponent)}|${escapeMrkdwn(source.title.replace(/\|/g, '/'))}>` : escapeMrkdwn(source.title);
  const deadline = source.deadline ? ` · ${source.deadline < today ? t.closed : t.deadline(source.deadline)}` : '';
  return `[${source.n}] ${link}${deadline}`;
}

function sourcesBlocks(sources: Citation[], locale: Locale, today: string): KnownBlock[] {
  const t = slackTexts[locale];
  const lines = sources.map((s) => sourceLine(s, locale, today));
  const blocks: KnownBlock[] = [];
  // First element is the label; at most 9 sources per context block.
  for (let i = 0; i < lines.length; i += SLACK_LIMITS.contextElements - 1) {
    const chunk = lines.slice(i, i + SLACK_LIMITS.contextElements - 1);
    blocks.push({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: i === 0 ? `*${t.sourcesLabel}*` : `*${t.sourcesLabel}* ${t.continued}` },
        ...chunk.map((text) => ({ type: 'mrkdwn' as const, text: truncateText(text, SLACK_LIMITS.sectionText) })),
      ],
    });
  }
  return blocks;
}

/** An input block for one field (modals and inline forms). */
export function inputBlock(field: InputField): KnownBlock {
  return {
    type: 'input',
    block_id: `input:${field.id}`,
    optional: field.optional ?? false,
    label: plain(field.label, SLACK_LIMITS.inputLabel),
    element: {
      type: 'plain_text_input',
      action_id: field.id,
      multiline: field.multiline ?? false,
      ...(field.placeholder ? { placeholder: plain(field.placeholder, SLACK_LIMITS.placeholder) } : {}),
      ...(field.initial ? { initial_value: truncateText(field.initial, 3000) } : {}),
    },
  };
}

/** Fallback text for notifications and screen readers: the title and the start of the piece (mrkdwn). */
function fallbackText(title: string | undefined, mrkdwnPiece: string): string {
  const base = [title ? escapeMrkdwn(title) : undefined, mrkdwnPiece].filter(Boolean).join('\n');
  return truncateText(base || '…', SLACK_LIMITS.fallbackText);
}

/**
 * Renders one Reply into one or more Slack messages. Long text is split across sections
 * (3,000 characters each) and messages (≤ 12,000 characters and ≤ 50 blocks each); the title
 * goes on the first message, the sources, AI label, feedback and action buttons on the last.
 */
export function renderReply(reply: Reply, options: RenderOptions = {}, now: Date = new Date()): SlackMessage[] {
  const t = slackTexts[reply.locale];
  const today = now.toISOString().slice(0, 10);
  const head: KnownBlock[] = reply.title ? [{ type: 'header', text: plain(reply.title, SLACK_LIMITS.headerText) }] : [];

  const tail: KnownBlock[] = [];
  if (options.inlineInputs && reply.inputs?.length) tail.push(...reply.inputs.map((f) => inputBlock(f)));
  if (reply.sources?.length) tail.push(...sourcesBlocks(reply.sources, reply.locale, today));
  if (reply.generated) tail.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `:sparkles: ${t.aiLabel}` }] });
  if (reply.actions?.length) tail.push(...actionsBlocks(reply.actions, reply.locale, 'actions'));
  if (reply.answerId !== undefined) {
    tail.push(
      ...actionsBlocks(
        [
          { id: 'feedback.up', label: t.helpful, value: String(reply.answerId) },
          { id: 'feedback.down', label: t.notHelpful, value: String(reply.answerId) },
        ],
        reply.locale,
        `feedback:${reply.answerId}`,
      ),
    );
  }

  const mrkdwn = markdownToMrkdwn(reply.text);
  const sections = mrkdwn.trim() === '' ? [] : splitText(mrkdwn, SLACK_LIMITS.sectionText);
  const messages: SlackMessage[] = [];
  let blocks: KnownBlock[] = [...head];
  let chars = 0;
  let pieceText = '';
  const flush = () => {
    messages.push({ text: fallbackText(messages.length === 0 ? reply.title : undefined, pieceText), blocks });
    blocks = [];
    chars = 0;
    pieceText = '';
  };
  for (const section of sections) {
    if (blocks.length > 0 && (chars + section.length > SLACK_LIMITS.messageText || blocks.length + 1 > SLACK_LIMITS.blocksPerMessage)) flush();
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: section } });
    chars += section.length;
    pieceText += (pieceText ? '\n' : '') + section;
  }
  for (const block of tail) {
    if (blocks.length + 1 > SLACK_LIMITS.blocksPerMessage) flush();
    blocks.push(block);
  }
  if (blocks.length > 0 || messages.length === 0) flush();
  return messages;
}

/** The blocks that follow streamed text (sources, AI label, feedback, buttons) for chat.stopStream. */
export function trailingBlocks(reply: Reply, now: Date = new Date()): KnownBlock[] {
  return renderReply({ ...reply, title: undefined, text: '' }, {}, now).flatMap((m) => m.blocks);
}

/** A modal for a reply with input fields; submitted with its first primary action. */
export function renderModal(reply: Reply, privateMetadata: string): SlackTypes.ModalView {
  const t = slackTexts[reply.locale];
  const submit = reply.actions?.find((a) => a.style === 'primary') ?? reply.actions?.[0];
  const text = markdownToMrkdwn(reply.text);
  const blocks: KnownBlock[] = [
    ...(text.trim() ? splitText(text, SLACK_LIMITS.sectionText).map((s): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: s } })) : []),
    ...(reply.inputs ?? []).map((f) => inputBlock(f)),
  ].slice(0, SLACK_LIMITS.blocksPerView);
  return {
    type: 'modal',
    callback_id: 'tsumiki.inputs',
    title: plain(reply.title ?? t.modalTitle, SLACK_LIMITS.modalTitle),
    submit: plain(submit?.label ?? t.submit, SLACK_LIMITS.modalTitle),
    close: plain(t.cancel, SLACK_LIMITS.modalTitle),
    private_metadata: truncateText(privateMetadata, SLACK_LIMITS.privateMetadata),
    blocks,
  };
}

/** Values of input blocks from `state.values` (block_actions with inline inputs, view_submission). */
export function readInputs(values: Record<string, Record<string, { value?: string | null }>> | undefined): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const [blockId, block] of Object.entries(values ?? {})) {
    if (!blockId.startsWith('input:')) continue;
    for (const [actionId, element] of Object.entries(block)) inputs[actionId] = element.value ?? '';
  }
  return inputs;
}

/** App Home: who Tsumiki is, the reflection settings, recent journal entries, 1on1 preparations, settings buttons. */
export function renderHome(input: { locale: Locale; isGuest: boolean; overview: ReflectionOverview }): SlackTypes.HomeView {
  const { locale, overview, isGuest } = input;
  const t = slackTexts[locale];
  const h = t.home;
  const zone = overview.timezone;
  const fmt = (iso: string) =>
    DateTime.fromISO(iso, { zone }).setLocale(locale === 'ja' ? 'ja-JP' : 'en-GB').toLocaleString(DateTime.DATETIME_MED_WITH_WEEKDAY);
  const day = t.weekdays[overview.weekday - 1] ?? t.weekdays[4]!;
  const status: string[] = [overview.enabled ? h.enabled(day, overview.localTime, zone) : h.disabled];
  if (overview.pausedUntil) status.push(h.paused(overview.pausedUntil));
  if (overview.enabled) status.push(overview.nextPromptAt ? h.next(fmt(overview.nextPromptAt)) : h.nextUnknown);
  status.push(h.share(overview.shareWithManager));

  const entries = overview.recentEntries.map((e) => {
    const summary = e.lesson ?? e.experience ?? e.experiment ?? '';
    return `• ${escapeMrkdwn(fmt(e.createdAt))} — ${escapeMrkdwn(truncateText(summary.replace(/\s+/g, ' '), 200))}`;
  });
  const preparations = overview.oneOnOnePreparations.map((p) => `• ${escapeMrkdwn(h.oneOnOne(p.managerName ?? h.someone, fmt(p.at)))}`);

  const command = (label: string, value: string, style?: 'primary' | 'danger'): ActionButton => ({ id: 'command', label, value, style });
  const settings: ActionButton[] = [
    overview.enabled ? command(h.buttons.scheduleOff, 'schedule off') : command(h.buttons.scheduleOn, 'schedule on', 'primary'),
    { id: 'reflect.slot-form', label: h.buttons.changeSlot },
    ...(isGuest ? [] : [overview.shareWithManager ? command(h.buttons.shareOff, 'share off') : command(h.buttons.shareOn, 'share on')]),
    command(h.buttons.reflect, 'reflect'),
    command(h.buttons.journal, 'journal'),
    command(h.buttons.export, 'export'),
  ];

  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(h.title, SLACK_LIMITS.headerText) },
    { type: 'section', text: { type: 'mrkdwn', text: markdownToMrkdwn(h.intro) } },
    { type: 'divider' },
    { type: 'header', text: plain(h.reflectionHeader, SLACK_LIMITS.headerText) },
    { type: 'section', text: { type: 'mrkdwn', text: markdownToMrkdwn(status.join('\n')) } },
    ...actionsBlocks(settings, locale, 'home.settings'),
    { type: 'divider' },
    { type: 'header', text: plain(h.journalHeader, SLACK_LIMITS.headerText) },
    { type: 'section', text: { type: 'mrkdwn', text: truncateText(entries.length ? entries.join('\n') : escapeMrkdwn(h.noEntries), SLACK_LIMITS.sectionText) } },
    { type: 'divider' },
    { type: 'header', text: plain(h.oneOnOneHeader, SLACK_LIMITS.headerText) },
    { type: 'section', text: { type: 'mrkdwn', text: truncateText(preparations.length ? preparations.join('\n') : escapeMrkdwn(h.noOneOnOne), SLACK_LIMITS.sectionText) } },
  ];
  if (isGuest) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(h.guestNote) }] });
  return { type: 'home', blocks };
}
