/**
 * Unprompted messages on Teams (weekly reflection prompts, invitations): continue the person's
 * 1:1 conversation from the reference stored at installation or at their last message.
 * 403/404 from the connector mean the app was removed or the user is gone: the identity is
 * marked unreachable and the result is permanent, so the scheduler stops trying.
 */
import type { CloudAdapter, ConversationReference } from 'botbuilder';
import type { CoreServices } from '../../core/core-services';
import type { DeliveryResult, ProactiveSender, Reply } from '../../core/types';
import { AnswerMessages } from './answer-messages';
import { retryAfterMs, statusOf } from './rate-limit';
import { renderReply } from './render';

const PERMANENT_STATUSES = new Set([403, 404]);

export class TeamsProactiveSender implements ProactiveSender {
  readonly channel = 'teams' as const;
  private readonly answers: AnswerMessages;

  constructor(
    private readonly core: CoreServices,
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
  ) {
    this.answers = new AnswerMessages(core.db);
  }

  async send(
    target: { personId: number; externalId: string; dmChannelId: string | null; conversationRef: string | null },
    replies: Reply[],
  ): Promise<DeliveryResult> {
    const reference = parseReference(target.conversationRef);
    if (!reference) {
      return { ok: false, permanent: true, reason: 'no Teams conversation yet: the person has not installed the app or written to it' };
    }
    let lastId: string | undefined;
    // The adapter hands errors inside the logic to onTurnError (which only logs); keep them here.
    let failure: unknown;
    try {
      await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
        try {
          for (const reply of replies) {
            const response = await context.sendActivity(renderReply(reply));
            lastId = response?.id ?? lastId;
            if (response?.id && reply.answerId !== undefined) {
              this.answers.record(reference.conversation.id, response.id, target.personId, reply.answerId);
            }
          }
        } catch (error) {
          failure = error;
        }
      });
      if (failure) throw failure;
      return { ok: true, messageRef: lastId };
    } catch (error) {
      const status = statusOf(error);
      if (status !== undefined && PERMANENT_STATUSES.has(status)) {
        const reason = status === 404 ? 'Teams conversation not found (user removed)' : `Teams refused the message (HTTP ${status}: app removed or blocked)`;
        const identity = this.core.people.identity('teams', target.externalId);
        if (identity) this.core.people.updateIdentity(identity.id, { reachable: false, unreachableReason: reason });
        this.core.logger.warn({ channel: 'teams', status, personId: target.personId }, 'Teams identity marked unreachable');
        return { ok: false, permanent: true, reason };
      }
      this.core.logger.warn({ err: error, channel: 'teams', status, personId: target.personId }, 'proactive Teams message failed');
      return { ok: false, permanent: false, reason: status ? `Teams connector answered HTTP ${status}` : 'Teams connector unreachable', retryAfterMs: retryAfterMs(error) };
    }
  }
}

function parseReference(json: string | null): (Partial<ConversationReference> & { conversation: { id: string } }) | undefined {
  if (!json) return undefined;
  try {
    const reference = JSON.parse(json) as Partial<ConversationReference>;
    // Without the last activity's id the message is a new one, not a reply to an old message.
    delete reference.activityId;
    return reference.conversation?.id && reference.serviceUrl ? (reference as Partial<ConversationReference> & { conversation: { id: string } }) : undefined;
  } catch {
    return undefined;
  }
}
