/**
 * The Teams ActivityHandler: translate the activity into a Turn, call the core, render, send.
 * Policy lives in the core; this class knows only Teams' shapes (mentions, card submissions,
 * feedback invokes, installation events, streaming).
 */
import { ActivityHandler, TeamsInfo, TurnContext, type Activity, type InvokeResponse } from 'botbuilder';
import type { CoreServices } from '../../core/core-services';
import type { ActionInvocation, Actor, Locale, Reply, Surface, Turn, TurnObserver } from '../../core/types';
import { AnswerMessages } from './answer-messages';
import { FileConsentFlow } from './file-consent';
import { renderReply } from './render';
import { TeamsStream } from './streaming';
import { DeferredTyping } from './typing';

export interface TeamsBotOptions {
  /** Stream answers in 1:1 chats (Teams' streaming protocol). */
  streaming: boolean;
  streamIntervalMs?: number;
  /** How long an answer may take before the stream's status line is shown (see streaming.ts). */
  streamStatusDelayMs?: number;
  /** How long an answer may take before the typing indicator is sent (see typing.ts). */
  typingDelayMs?: number;
  /** Offer exports through Teams' file consent flow (real Teams only; the playground has none). */
  fileConsent: boolean;
}

/** What a person in a channel sees instead of a personal reply. */
const personalInChannel: Record<Locale, string> = {
  ja: 'これは個人的な内容なので、チャンネルには表示しません。Tsumiki との 1 対 1 のチャットで同じことを話しかけてください。',
  en: 'That is personal, so I will not show it in a channel. Please ask me the same in a 1:1 chat with Tsumiki.',
};

/** Replies that may appear in a shared channel even though marked private: they reveal nothing about the person. */
const CHANNEL_SAFE_KINDS = new Set<Reply['kind']>(['error', 'info', 'help', 'answer']);

export class TeamsBot extends ActivityHandler {
  private readonly answers: AnswerMessages;
  private readonly files: FileConsentFlow;

  constructor(
    private readonly core: CoreServices,
    private readonly options: TeamsBotOptions,
  ) {
    super();
    this.answers = new AnswerMessages(core.db);
    this.files = new FileConsentFlow(core.logger);
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      // Greet only in a 1:1 chat: in a team, the welcome and purpose notice would go to everyone.
      if (isPersonal(context.activity)) {
        const botId = context.activity.recipient?.id;
        for (const member of context.activity.membersAdded ?? []) {
          if (member.id === botId) continue;
          await this.greet(context, member.aadObjectId ?? member.id, member.name);
        }
      }
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      if (isPersonal(context.activity)) {
        await this.resolveActor(context);
        this.storeReference(context);
      }
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      if (isPersonal(context.activity)) {
        const identity = this.core.people.identity('teams', externalIdOf(context.activity));
        if (identity) this.core.people.updateIdentity(identity.id, { reachable: false, unreachableReason: 'Teams app uninstalled' });
      }
      await next();
    });
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const name = context.activity.name;
    if (name === 'message/submitAction') return this.handleFeedback(context);
    if (name === 'fileConsent/invoke') {
      const actor = await this.resolveActor(context);
      await this.files.handleInvoke(context, actor.locale);
      return { status: 200, body: {} };
    }
    return super.onInvokeActivity(context);
  }

  private async greet(context: TurnContext, externalId: string, name?: string): Promise<void> {
    const actor = await this.core.actors.resolve('teams', externalId, { name, teamId: context.activity.conversation?.tenantId, ...localeHints(context.activity) });
    this.storeReference(context);
    const replies = this.core.router.greet({ actor, surface: 'dm', threadKey: `teams:${context.activity.conversation.id}` });
    for (const reply of replies) await context.sendActivity(renderReply(reply));
  }

  private async resolveActor(context: TurnContext): Promise<Actor> {
    const activity = context.activity;
    return this.core.actors.resolve(
      'teams',
      externalIdOf(activity),
      { name: activity.from?.name, teamId: activity.conversation?.tenantId, ...localeHints(activity) },
      // First contact only: the profile e-mail links the Teams account to an imported employee.
      async () => {
        const member = await TeamsInfo.getMember(context, activity.from.id);
        return member.email ?? member.userPrincipalName;
      },
    );
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const actor = await this.resolveActor(context);
    this.storeReference(context);
    const personal = isPersonal(activity);
    const surface: Surface = personal ? 'dm' : 'mention';
    const action = actionOf(activity.value);
    const text = action ? undefined : (personal ? activity.text : TurnContext.removeRecipientMention(activity) ?? activity.text)?.trim();
    const turn: Turn = {
      actor,
      surface,
      threadKey: `teams:${activity.conversation.id}`,
      text,
      action,
      attachments: (activity.attachments ?? []).filter((a) => a.contentType !== 'text/html' && a.contentType !== ADAPTIVE_CARD_SUBMIT).length,
    };
    this.core.metrics.turns.inc({ channel: 'teams', surface });
    const typing = new DeferredTyping(context, this.options.typingDelayMs ?? 250, this.core.logger);

    const stream = personal && !action && this.options.streaming ? new TeamsStream(context, { logger: this.core.logger, intervalMs: this.options.streamIntervalMs, statusDelayMs: this.options.streamStatusDelayMs }) : undefined;
    const observer: TurnObserver = stream ? stream.observer() : {};
    let replies: Reply[];
    try {
      replies = await this.core.router.handle(turn, observer);
    } finally {
      await typing.settle();
    }
    await this.sendReplies(context, turn, replies, stream);
  }

  private async sendReplies(context: TurnContext, turn: Turn, replies: Reply[], stream?: TeamsStream): Promise<void> {
    const personal = turn.surface !== 'mention';
    const streamed = replies.find((r) => r.kind === 'answer') ?? replies[0];
    let replaced = false;
    let streamClosed = false;
    for (const reply of replies) {
      if (!personal && reply.private && !CHANNEL_SAFE_KINDS.has(reply.kind)) {
        await context.sendActivity({ type: 'message', text: personalInChannel[reply.locale] });
        continue;
      }
      if (reply.file && personal && this.options.fileConsent) {
        await this.files.offer(context, reply);
        continue;
      }
      const rendered = renderReply(reply);
      let id: string | undefined;
      if (stream && reply === streamed) {
        const result = await stream.finish(rendered);
        streamClosed = true;
        if (result.sent) id = result.id;
      }
      // A card's answer replaces the card it came from (once per turn: a submit has one card).
      if (!id && reply.replaceOriginal && turn.action && context.activity.replyToId && !replaced) {
        try {
          await context.updateActivity({ ...rendered, id: context.activity.replyToId });
          id = context.activity.replyToId;
          replaced = true;
        } catch (error) {
          this.core.logger.warn({ err: error, channel: 'teams' }, 'card update refused; sending a new message');
        }
      }
      if (!id) id = (await context.sendActivity(rendered))?.id;
      if (id && reply.answerId !== undefined) {
        try {
          this.answers.record(context.activity.conversation.id, id, turn.actor.personId, reply.answerId);
        } catch (error) {
          this.core.logger.warn({ err: error, channel: 'teams' }, 'could not remember the answer of a message; its feedback buttons will not count');
        }
      }
    }
    // A stream must end with a final message, or Teams shows it as still typing until it times out.
    if (stream && !streamClosed) await stream.finish({ type: 'message' });
  }

  /** Teams' feedback buttons: `message/submitAction` with actionName 'feedback', on a message we sent. */
  private async handleFeedback(context: TurnContext): Promise<InvokeResponse> {
    const value = context.activity.value as { actionName?: string; actionValue?: { reaction?: string; feedback?: string } } | undefined;
    if (value?.actionName !== 'feedback') return { status: 400, body: { error: 'unsupported action' } };
    const reaction = value.actionValue?.reaction;
    const answerId = context.activity.replyToId ? this.answers.find(context.activity.conversation.id, context.activity.replyToId) : undefined;
    if ((reaction !== 'like' && reaction !== 'dislike') || answerId === undefined) {
      this.core.logger.warn({ channel: 'teams', reaction, known: answerId !== undefined }, 'feedback on an unknown message ignored');
      return { status: 200, body: {} };
    }
    const actor = await this.resolveActor(context);
    let comment: string | undefined;
    try {
      const parsed = JSON.parse(value.actionValue?.feedback ?? '{}') as { feedbackText?: unknown };
      if (typeof parsed.feedbackText === 'string' && parsed.feedbackText.trim()) comment = parsed.feedbackText.trim().slice(0, 2000);
    } catch {
      // Teams sends JSON; anything else carries no comment.
    }
    const turn: Turn = {
      actor,
      surface: isPersonal(context.activity) ? 'dm' : 'mention',
      threadKey: `teams:${context.activity.conversation.id}`,
      action: { id: reaction === 'like' ? 'feedback.up' : 'feedback.down', value: String(answerId), inputs: comment ? { comment } : {} },
    };
    const replies = await this.core.router.handle(turn);
    // The feedback form confirms by itself; only say something when the core has something to say.
    await this.sendReplies(context, turn, replies.filter((r) => r.kind !== 'help'));
    return { status: 200, body: {} };
  }

  /** Keeps the 1:1 conversation reference fresh for proactive messages. */
  private storeReference(context: TurnContext): void {
    if (!isPersonal(context.activity)) return;
    const identity = this.core.people.identity('teams', externalIdOf(context.activity));
    if (!identity) return;
    const reference = TurnContext.getConversationReference(context.activity);
    this.core.people.updateIdentity(identity.id, { conversationRef: JSON.stringify(reference), reachable: true, unreachableReason: null });
  }
}

/** Teams sets `value` on a message for an Action.Submit; an empty submission has only `action`. */
const ADAPTIVE_CARD_SUBMIT = 'application/vnd.microsoft.card.adaptive';

export function isPersonal(activity: Partial<Activity>): boolean {
  const type = activity.conversation?.conversationType;
  return !type || type === 'personal';
}

function externalIdOf(activity: Partial<Activity>): string {
  return activity.from?.aadObjectId ?? activity.from?.id ?? 'unknown';
}

function localeHints(activity: Partial<Activity>): { locale?: Locale; timezone?: string } {
  const locale = activity.locale?.toLowerCase().startsWith('ja') ? 'ja' : activity.locale?.toLowerCase().startsWith('en') ? 'en' : undefined;
  return { locale, timezone: activity.localTimezone || undefined };
}

/** A card submission (`value.action` plus input fields) → an ActionInvocation. */
export function actionOf(value: unknown): ActionInvocation | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.action !== 'string' || !v.action) return undefined;
  const inputs: Record<string, string> = {};
  for (const [k, item] of Object.entries(v)) {
    if (k === 'action' || k === 'value' || k === 'msteams') continue;
    if (typeof item === 'string') inputs[k] = item;
  }
  return { id: v.action, value: typeof v.value === 'string' ? v.value : undefined, inputs };
}
