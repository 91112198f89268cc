/**
 * The channel-agnostic vocabulary of Tsumiki. Channels translate their payloads into a `Turn`,
 * call the core, and render the `Reply` objects they get back (Block Kit, Adaptive Cards, text).
 * Nothing here knows about Slack or Teams.
 */
export type Locale = 'ja' | 'en';
export type ChannelKind = 'slack' | 'teams' | 'cli';

/** Where a turn came from: a private place (dm, assistant pane, slash command, CLI) or a shared channel. */
export type Surface = 'dm' | 'assistant' | 'command' | 'mention' | 'cli';

export type DocumentKind = 'training' | 'posting' | 'shadowing' | 'guide';

/** The person speaking, resolved from their channel identity. */
export interface Actor {
  personId: number;
  /** Null for a guest: someone not in the organisation import (consultation yes, manager features no). */
  employeeId: string | null;
  name: string | null;
  isGuest: boolean;
  /** Preferred language (profile, organisation file or default); a message in another language wins for its reply. */
  locale: Locale;
  timezone: string;
  channel: ChannelKind;
  externalId: string;
}

/** A button click or a card submission. */
export interface ActionInvocation {
  /**
   * Namespaced id, e.g. `feedback.up`, `forget.confirm`, `reflect.submit`.
   * The id `command` with `value: 'schedule on'` runs that chat command, so a settings button
   * needs no handler of its own.
   */
  id: string;
  value?: string;
  /** Values of input fields on a submitted card or modal, by field id. */
  inputs?: Record<string, string>;
}

export interface Turn {
  actor: Actor;
  surface: Surface;
  /** The memory key of this conversation: a DM thread, a Teams 1:1 chat, a CLI session. */
  threadKey: string;
  /** What the person typed, command words included. */
  text?: string;
  action?: ActionInvocation;
  /** Number of files or images attached: Tsumiki reads text only and says so. */
  attachments?: number;
}

export interface Citation {
  /** The number used in the text: [1], [2] … */
  n: number;
  /** The document's front-matter id. */
  id: string;
  title: string;
  url: string;
  kind: DocumentKind;
  /** Postings: ISO date; a past date means closed. */
  deadline?: string | null;
}

export interface ActionButton {
  id: string;
  label: string;
  value?: string;
  style?: 'primary' | 'danger';
  /** A link button instead of an action. */
  url?: string;
}

export interface InputField {
  id: string;
  label: string;
  placeholder?: string;
  multiline?: boolean;
  initial?: string;
  optional?: boolean;
}

export type ReplyKind =
  | 'welcome'
  | 'notice'
  | 'help'
  | 'answer'
  | 'error'
  | 'info'
  | 'confirm'
  | 'invitation'
  | 'reflection'
  | 'oneonone'
  | 'settings'
  | 'journal'
  | 'export';

/**
 * One message to show the person. `text` is a small Markdown subset that every renderer
 * understands: **bold**, `- ` bullets, numbered lines, [label](url) links and blank-line paragraphs.
 */
export interface Reply {
  kind: ReplyKind;
  locale: Locale;
  title?: string;
  text: string;
  sources?: Citation[];
  actions?: ActionButton[];
  /** Input fields (reflection step, journal edit); submitted with the first `primary` action. */
  inputs?: InputField[];
  /** A file to hand over (export). */
  file?: { name: string; mimeType: string; content: string };
  /** Written by the language model (channels show an AI-generated label). */
  generated?: boolean;
  /** Set on answers so 👍/👎 feedback can refer to them. */
  answerId?: number;
  /** Personal content: only ever shown to this person (ephemeral or in their DM). */
  private?: boolean;
  /** A hint to replace the message the action came from instead of posting a new one. */
  replaceOriginal?: boolean;
}

/** Lets a slow handler show progress and stream tokens to channels that can show them. */
export interface TurnObserver {
  /** Called once slow work begins, e.g. "考えています…" / "Thinking…". */
  onStatus?(status: string): void | Promise<void>;
  /** Generated text as it arrives, in order. The final Reply still carries the whole text. */
  onToken?(chunk: string): void | Promise<void>;
  /**
   * Replies that come before the answer (the welcome and purpose notice on first contact). A
   * channel that streams implements this to show them at once, before the answer starts to
   * arrive; they are then left out of the final list. Without it they lead the final list.
   */
  onPreface?(replies: Reply[]): void | Promise<void>;
  /** Aborted when the channel gives up (person left, timeout). */
  signal?: AbortSignal;
}

/** Outcome of delivering a proactive message to one person on one channel. */
export type DeliveryResult =
  | { ok: true; messageRef?: string }
  | { ok: false; permanent: boolean; reason: string; retryAfterMs?: number };

/** Who a proactive message goes to on one channel. */
export interface ProactiveTarget {
  personId: number;
  externalId: string;
  dmChannelId: string | null;
  conversationRef: string | null;
}

/** Extra facts about one proactive send. */
export interface ProactiveSendOptions {
  /**
   * Unique per message (the outbox `dedupe_key`, e.g. `reflection:42:2026-W47`). A sender that can
   * store it with the message (Slack message metadata) lets `wasDelivered` answer after a crash.
   */
  idempotencyKey?: string;
}

/** A channel that can send a message to a person unprompted (scheduler, invitations). */
export interface ProactiveSender {
  readonly channel: ChannelKind;
  send(target: ProactiveTarget, replies: Reply[], options?: ProactiveSendOptions): Promise<DeliveryResult>;
  /**
   * Optional: whether a message sent with this idempotency key reached the person (after a crash
   * mid-send). `sentAfter` is about when the send started (the outbox's in-flight stamp, by the
   * scheduler's clock), a hint to bound the search. `undefined` = cannot tell now (outage, rate
   * limit); the outbox asks again later for a while and never resends while in doubt.
   */
  wasDelivered?(target: ProactiveTarget, idempotencyKey: string, sentAfter?: Date): Promise<boolean | undefined>;
  /**
   * Optional: finds an imported person on this channel when none of their identities is on it yet
   * (Slack: `users.lookupByEmail`) and links the identity, so invitations and weekly prompts reach
   * people who have never written to the bot. See DiscoveryResult.
   */
  discover?(person: { personId: number; email: string }): Promise<DiscoveryResult>;
}

/**
 * Outcome of ProactiveSender.discover: `linked` = an identity was linked (send again);
 * `retryAfterMs` = the channel could not tell now (rate limit, outage): ask again later.
 */
export type DiscoveryResult = { linked: true } | { linked: false; retryAfterMs?: number };
