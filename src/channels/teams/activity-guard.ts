/**
 * The shape an inbound Bot Framework activity must have before a turn runs. botbuilder trusts the
 * body it is given: an activity without `type`, a `text` that is a number, a `from.id` that is an
 * object or an attachment that is null each crash deep inside the turn (and became 500s). Only
 * the fields that botbuilder or the Teams bot read are checked, by type; everything else passes
 * through untouched, so a new field from Teams never breaks the bot.
 */
import { z } from 'zod';

/** Optional text fields: Teams omits what it does not set; a JSON null counts as absent. */
const optionalString = z.string().nullish().transform((v) => v ?? undefined);
const nonEmptyId = z.string().max(1024).refine((s) => s.trim() !== '', 'must not be empty');

const account = z.looseObject({
  id: nonEmptyId,
  name: optionalString,
  // An empty AAD object id is as good as none (the identity then falls back to `id`).
  aadObjectId: optionalString.transform((v) => v || undefined),
});

const conversation = z.looseObject({
  id: nonEmptyId,
  conversationType: optionalString,
  tenantId: optionalString,
  isGroup: z.boolean().nullish().transform((v) => v ?? undefined),
});

const attachment = z.looseObject({
  contentType: optionalString,
  contentUrl: optionalString,
  name: optionalString,
});

/** Mentions are read by TurnContext.removeRecipientMention: `mentioned.id` and `text` must be strings. */
const entity = z
  .looseObject({ type: z.string() })
  .superRefine((value, ctx) => {
    if (value.type.toLowerCase() !== 'mention') return;
    const parsed = z.looseObject({ mentioned: z.looseObject({ id: z.string(), name: optionalString }), text: optionalString }).safeParse(value);
    if (!parsed.success) ctx.addIssue({ code: 'custom', message: 'a mention needs mentioned.id and a text string' });
  });

const optionalArray = <T extends z.ZodType>(item: T) => z.array(item).max(1000).nullish().transform((v) => v ?? undefined);

/** The activity fields Tsumiki and botbuilder read, each with the type they are read as. */
export const inboundActivitySchema = z.looseObject({
  type: z.string().max(100).refine((s) => s.trim() !== '', 'must not be empty'),
  id: optionalString,
  name: optionalString,
  action: optionalString,
  channelId: optionalString,
  serviceUrl: z.url({ protocol: /^https?$/ }),
  from: account,
  recipient: account,
  conversation,
  text: optionalString,
  locale: optionalString,
  localTimezone: optionalString,
  replyToId: optionalString,
  timestamp: optionalString,
  localTimestamp: optionalString,
  attachments: optionalArray(attachment),
  entities: optionalArray(entity),
  membersAdded: optionalArray(account),
  membersRemoved: optionalArray(account),
});

export type InboundActivity = z.infer<typeof inboundActivitySchema>;

export type ActivityCheck = { ok: true; activity: InboundActivity } | { ok: false; problems: string[] };

/**
 * Checks a parsed request body. The problems name fields and expectations only (never values),
 * so they can go back to the caller and into logs.
 */
export function checkActivity(body: unknown): ActivityCheck {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { ok: false, problems: ['the body must be a JSON object (an activity)'] };
  const result = inboundActivitySchema.safeParse(body);
  if (result.success) return { ok: true, activity: result.data };
  const problems = result.error.issues.slice(0, 10).map((issue) => `${issue.path.length ? issue.path.join('.') : 'activity'}: ${issue.message}`);
  return { ok: false, problems };
}
