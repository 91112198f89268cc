/**
 * The shape a signed Slack request must have before Bolt and the listeners read it. Bolt trusts
 * Slack's payloads: an `event.channel` that is null, a `user` that is a number or a `container`
 * that is missing throws inside Bolt or a listener (and used to become a 500), and a user id that
 * is not a string reached the identities table. The checks mirror what Bolt introspects to route a
 * request and what Tsumiki's listeners read; every other field passes through untouched, so a
 * new field from Slack never breaks the bot. Problems name fields and expectations, never values.
 */
import { z } from 'zod';

/**
 * Slack ids (U…, W…, C…, D…, T…): letters and digits. Slack asks apps not to rely on their
 * prefixes or lengths, so only the character set and a generous length are checked.
 */
const slackId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be a Slack id');
const optionalString = z.string().optional();
/** Bolt reads `.id` of these when they are not null: they must be objects then. */
const optionalObject = z.looseObject({}).nullish();
const httpUrl = z.url({ protocol: /^https?$/ });

/** `state.values` of a submitted message or modal: block id → action id → element. */
const stateValues = z.record(z.string(), z.record(z.string(), z.looseObject({ value: z.string().nullish() })));

const interactionUser = z.looseObject({ id: slackId, team_id: z.string().nullish() });

/** What Bolt reads of every interaction payload to route it (team, enterprise, user, channel). */
const interactionBase = {
  user: interactionUser,
  team: optionalObject,
  enterprise: optionalObject,
  channel: z.looseObject({ id: slackId }).nullish(),
  response_url: httpUrl.optional(),
  response_urls: z.array(z.looseObject({ response_url: httpUrl })).optional(),
  trigger_id: optionalString,
};

const blockActions = z.looseObject({
  ...interactionBase,
  type: z.literal('block_actions'),
  container: z.looseObject({
    type: optionalString,
    channel_id: optionalString,
    message_ts: optionalString,
    thread_ts: optionalString,
    is_ephemeral: z.boolean().optional(),
  }),
  message: z.looseObject({ thread_ts: optionalString }).nullish(),
  actions: z.array(z.looseObject({ action_id: z.string(), type: z.string(), value: optionalString, url: optionalString })).min(1).max(25),
  state: z.looseObject({ values: stateValues }).optional(),
});

const otherActions = z.looseObject({ ...interactionBase, actions: z.array(z.unknown()).optional() });

const view = z.looseObject({
  id: optionalString,
  callback_id: z.string(),
  private_metadata: optionalString,
  app_installed_team_id: optionalString,
  state: z.looseObject({ values: stateValues }).optional(),
});
const viewPayload = z.looseObject({ ...interactionBase, type: z.enum(['view_submission', 'view_closed']), view });

const shortcutOrOptions = z.looseObject(interactionBase);

const slashCommand = z.looseObject({
  command: z.string().startsWith('/'),
  text: optionalString,
  user_id: slackId,
  channel_id: slackId,
  team_id: optionalString,
  response_url: httpUrl.optional(),
  trigger_id: optionalString,
});

/** Fields of any event that Bolt introspects to find its channel, user and thread. */
const anyEvent = z.looseObject({
  type: z.string().min(1),
  channel: z.union([z.string(), z.looseObject({})]).optional(),
  user: z.union([z.string(), z.looseObject({})]).optional(),
  item: z.looseObject({}).optional(),
  subteam: z.looseObject({}).optional(),
});

/** The events Tsumiki listens to, with the fields its listeners read. */
const eventSchemas: Record<string, z.ZodType> = {
  message: z.looseObject({
    channel: slackId,
    user: slackId.optional(),
    text: optionalString,
    ts: z.string(),
    thread_ts: optionalString,
    subtype: optionalString,
    channel_type: optionalString,
    bot_id: z.string().nullish(),
    files: z.array(z.unknown()).optional(),
  }),
  app_mention: z.looseObject({
    channel: slackId,
    user: slackId.optional(),
    text: optionalString,
    ts: z.string(),
    thread_ts: optionalString,
    subtype: optionalString,
    bot_id: z.string().nullish(),
    files: z.array(z.unknown()).optional(),
  }),
  app_home_opened: z.looseObject({ user: slackId, tab: optionalString }),
  assistant_thread_started: z.looseObject({ assistant_thread: z.looseObject({ user_id: slackId, channel_id: slackId, thread_ts: z.string(), context: optionalObject }) }),
  assistant_thread_context_changed: z.looseObject({ assistant_thread: z.looseObject({ user_id: slackId, channel_id: slackId, thread_ts: z.string(), context: optionalObject }) }),
};

const eventEnvelope = z.looseObject({
  event: anyEvent,
  team_id: optionalString,
  event_id: optionalString,
  authorizations: z.array(z.looseObject({})).nullish(),
});

/** Thrown (before Bolt reads the body) for a request that is signed but malformed: answered 400. */
export class MalformedSlackRequest extends Error {
  /** A Bolt-style code, so Bolt's error plumbing passes the error on unchanged. */
  readonly code = 'tsumiki_malformed_slack_request';
  constructor(readonly problems: string[]) {
    super(`malformed Slack request: ${problems.join('; ')}`);
    this.name = 'MalformedSlackRequest';
  }
}

function problemsOf(result: z.ZodSafeParseResult<unknown>, prefix = ''): string[] | undefined {
  if (result.success) return undefined;
  return result.error.issues.slice(0, 10).map((issue) => `${prefix}${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`);
}

/** What kind of request Bolt will take the body for (the same order as Bolt's own routing). */
export type SlackRequestKind = 'event' | 'command' | 'options' | 'action' | 'shortcut' | 'view' | 'rate_limited' | 'unknown';

export function slackRequestKind(body: Record<string, unknown>): SlackRequestKind {
  if (body.event !== undefined) return 'event';
  if (body.command !== undefined) return 'command';
  if (body.name !== undefined || body.type === 'block_suggestion') return 'options';
  if (body.actions !== undefined || body.type === 'dialog_submission') return 'action';
  if (body.type === 'shortcut' || body.type === 'message_action') return 'shortcut';
  if (body.type === 'view_submission' || body.type === 'view_closed') return 'view';
  // Sent when Slack throttles event delivery to the app: acknowledged, nothing else to do.
  if (body.type === 'app_rate_limited') return 'rate_limited';
  return 'unknown';
}

/**
 * Problems that make a parsed, signed request unusable, or undefined when it can be processed.
 * Unknown event types and interactions pass with only the checks Bolt needs to route them.
 */
export function slackRequestProblems(body: unknown): string[] | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return ['body: must be a JSON object (an event, command or interaction)'];
  const b = body as Record<string, unknown>;
  switch (slackRequestKind(b)) {
    case 'event': {
      const envelope = problemsOf(eventEnvelope.safeParse(b));
      if (envelope) return envelope;
      const event = b.event as { type: string };
      const schema = eventSchemas[event.type];
      return schema ? problemsOf(schema.safeParse(event), 'event.') : undefined;
    }
    case 'command':
      return problemsOf(slashCommand.safeParse(b));
    case 'action':
      return problemsOf((b.type === 'block_actions' ? blockActions : otherActions).safeParse(b));
    case 'view':
      return problemsOf(viewPayload.safeParse(b));
    case 'options':
    case 'shortcut':
      return problemsOf(shortcutOrOptions.safeParse(b));
    case 'rate_limited':
      return undefined;
    case 'unknown':
      return ['body: not a Slack event, slash command or interaction payload'];
  }
}
