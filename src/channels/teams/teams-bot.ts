/** The Teams ActivityHandler: translate the activity, call the core, render, send. */
import { ActivityHandler, TurnContext, type Activity } from 'botbuilder';
import type { CoreServices } from '../../core/core-services';
import type { ActionInvocation, Surface, Turn } from '../../core/types';
import { hasSeenNotice, recordNoticeShown, welcomeReplies } from '../../privacy/purpose-notice';
import { renderReply } from './render';

export class TeamsBot extends ActivityHandler {
  constructor(private readonly core: CoreServices) {
    super();
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      for (const member of context.activity.membersAdded ?? []) {
        if (member.id === botId) continue;
        await this.greet(context, member.aadObjectId ?? member.id, member.name);
      }
      await next();
    });
  }

  private async greet(context: TurnContext, externalId: string, name?: string): Promise<void> {
    const actor = await this.core.actors.resolve('teams', externalId, { name, teamId: context.activity.conversation?.tenantId });
    this.storeReference(context, externalId);
    if (hasSeenNotice(this.core.db, actor.personId)) return;
    recordNoticeShown(this.core.db, actor.personId, this.core.clock());
    const replies = [...welcomeReplies(actor.locale), this.core.router.helpReply(actor.locale)];
    for (const reply of replies) await context.sendActivity(renderReply(reply) as Partial<Activity>);
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const externalId = activity.from.aadObjectId ?? activity.from.id;
    const actor = await this.core.actors.resolve('teams', externalId, {
      name: activity.from.name,
      teamId: activity.conversation?.tenantId,
    });
    this.storeReference(context, externalId);
    const isPersonal = !activity.conversation?.conversationType || activity.conversation.conversationType === 'personal';
    const surface: Surface = isPersonal ? 'dm' : 'mention';
    const value = activity.value as { action?: string; value?: string; [key: string]: unknown } | undefined;
    let action: ActionInvocation | undefined;
    if (value && typeof value.action === 'string') {
      const inputs: Record<string, string> = {};
      for (const [k, v] of Object.entries(value)) if (k !== 'action' && k !== 'value' && typeof v === 'string') inputs[k] = v;
      action = { id: value.action, value: typeof value.value === 'string' ? value.value : undefined, inputs };
    }
    const text = action ? undefined : TurnContext.removeRecipientMention(activity)?.trim() ?? activity.text;
    const turn: Turn = {
      actor,
      surface,
      threadKey: `teams:${activity.conversation.id}`,
      text,
      action,
      attachments: (activity.attachments ?? []).filter((a) => a.contentType !== 'text/html').length,
    };
    this.core.metrics.turns.inc({ channel: 'teams', surface });
    await context.sendActivity({ type: 'typing' });
    const replies = await this.core.router.handle(turn);
    for (const reply of replies) await context.sendActivity(renderReply(reply) as Partial<Activity>);
  }

  /** Keeps the conversation reference fresh for proactive messages. */
  private storeReference(context: TurnContext, externalId: string): void {
    if (context.activity.conversation?.conversationType && context.activity.conversation.conversationType !== 'personal') return;
    const identity = this.core.people.identity('teams', externalId);
    if (!identity) return;
    const reference = TurnContext.getConversationReference(context.activity);
    this.core.people.updateIdentity(identity.id, { conversationRef: JSON.stringify(reference), reachable: true, unreachableReason: null });
  }
}
