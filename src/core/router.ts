/**
 * The router: every turn from every channel comes through here. It cleans the input, picks the
 * reply language, shows the purpose notice on first contact, and hands the turn to a command,
 * an action handler or the consultation. Rule: anyone who addressed the bot always gets an answer
 * or a reason; an error becomes a polite reply with a reference, never silence.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { detectLocale } from './language';
import { coreMessages, MAX_MESSAGE_CHARS } from './messages';
import type { ActionInvocation, Locale, Reply, Turn, TurnObserver } from './types';

export interface CommandContext {
  turn: Turn;
  /** The language of the reply. */
  locale: Locale;
  /** Everything after the command word, trimmed. */
  args: string;
  observer: TurnObserver;
  now: Date;
}

export interface ActionContext {
  turn: Turn;
  action: ActionInvocation;
  locale: Locale;
  observer: TurnObserver;
  now: Date;
}

export interface CommandSpec {
  name: string;
  /** One line for `help`, in both languages. */
  summary: Record<Locale, string>;
  /** How to call it, e.g. `schedule <day> <HH:MM>`. */
  usage?: Record<Locale, string>;
  /**
   * In a plain DM the first word alone does not make a command: "schedule a talk with my boss?"
   * is a question. When given, the command runs only if this accepts the arguments.
   * Slash commands and Teams command-menu entries always run the command.
   */
  acceptsInDm?: (args: string) => boolean;
  /** Guests (not in the organisation import) get a clear refusal. */
  membersOnly?: boolean;
  /** Listed in `help` (default true). */
  listed?: boolean;
  handle(ctx: CommandContext): Promise<Reply[]> | Reply[];
}

export type ActionHandler = (ctx: ActionContext) => Promise<Reply[]> | Reply[];

/** Handles free text: the consultation. `publicOnly` is set for channel mentions. */
export type ConsultationHandler = (ctx: CommandContext & { publicOnly: boolean }) => Promise<Reply[]> | Reply[];

/**
 * May claim a private typed turn (DM, assistant, CLI) before commands and the consultation see it,
 * e.g. the answer to an open reflection step. `command` is set when the text starts with a command
 * word; `strict` when it is unmistakably that command (the word alone, or arguments its
 * `acceptsInDm` accepts), so a hook can let real commands through while "Ask my lead…" stays an
 * answer. Returns the replies when it claims the turn, undefined to pass it on.
 */
export type ConversationHook = (
  ctx: CommandContext & { command?: { name: string; strict: boolean } },
) => Promise<Reply[] | undefined> | Reply[] | undefined;

/** Called before each turn; returns replies to show first (the purpose notice on first contact). */
export type FirstContactHook = (turn: Turn, locale: Locale, now: Date) => Reply[];

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/g;
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** Removes invisible characters that change nothing a person means but can hide text, then trims. */
export function cleanInput(text: string): string {
  return text.replace(ZERO_WIDTH, '').replace(BIDI_CONTROLS, '').replace(/\r\n?/g, '\n').trim();
}

export class Router {
  private readonly commands = new Map<string, CommandSpec>();
  private readonly order: string[] = [];
  private readonly actions: Array<{ prefix: string; handler: ActionHandler }> = [];
  private consultation?: ConsultationHandler;
  private firstContact?: FirstContactHook;
  private readonly conversationHooks: ConversationHook[] = [];

  constructor(private readonly logger: Logger, private readonly clock: () => Date = () => new Date()) {}

  command(spec: CommandSpec, ...aliases: string[]): this {
    const name = spec.name.toLowerCase();
    if (this.commands.has(name)) throw new Error(`command ${name} registered twice`);
    this.commands.set(name, spec);
    for (const alias of aliases) this.commands.set(alias.toLowerCase(), spec);
    this.order.push(name);
    return this;
  }

  /** Handles actions whose id equals `prefix` or starts with `prefix.`. */
  action(prefix: string, handler: ActionHandler): this {
    this.actions.push({ prefix, handler });
    return this;
  }

  setConsultation(handler: ConsultationHandler): this {
    this.consultation = handler;
    return this;
  }

  /** Adds a hook asked, in order, about private typed text (DM, assistant, CLI) before commands and the consultation. */
  addConversationHook(hook: ConversationHook): this {
    this.conversationHooks.push(hook);
    return this;
  }

  setFirstContact(hook: FirstContactHook): this {
    this.firstContact = hook;
    return this;
  }

  /** The registered commands in registration order, for `help` and channel menus. */
  listCommands(): CommandSpec[] {
    return this.order.map((n) => this.commands.get(n)!).filter((c) => c.listed !== false);
  }

  /**
   * A person has just opened a private conversation with Tsumiki (a Teams install): the
   * first-contact notice, followed by what Tsumiki can do. Empty when the notice was shown before.
   */
  greet(turn: Turn): Reply[] {
    const notice = this.firstContact?.(turn, turn.actor.locale, this.clock()) ?? [];
    return notice.length > 0 ? [...notice, this.helpReply(turn.actor.locale)] : [];
  }

  /** Handles one turn; never throws. */
  async handle(turn: Turn, observer: TurnObserver = {}): Promise<Reply[]> {
    const now = this.clock();
    const text = turn.text === undefined ? undefined : cleanInput(turn.text);
    const { command, args } = this.parse(text ?? '');
    const locale = detectLocale(command ? args : text, turn.actor.locale);
    const m = coreMessages[locale];
    try {
      let before = this.firstContact?.(turn, locale, now) ?? [];
      if (before.length > 0 && observer.onPreface) {
        try {
          await observer.onPreface(before);
          before = [];
        } catch (error) {
          this.logger.warn({ err: error, channel: turn.actor.channel }, 'preface not delivered; sending it with the answer');
        }
      }
      const replies = await this.dispatch({ ...turn, text }, text, locale, observer, now);
      return [...before, ...replies];
    } catch (error) {
      const reference = randomBytes(4).toString('hex');
      this.logger.error({ err: error, reference, channel: turn.actor.channel, surface: turn.surface }, 'turn failed');
      return [{ kind: 'error', locale, text: m.internalError(reference), private: true }];
    }
  }

  private async dispatch(turn: Turn, text: string | undefined, locale: Locale, observer: TurnObserver, now: Date): Promise<Reply[]> {
    const m = coreMessages[locale];
    if (turn.action?.id === 'command' && turn.action.value) {
      // A button that stands for a typed command ("schedule on", "journal"): run it as if typed after /career.
      return this.dispatch({ ...turn, action: undefined, surface: turn.surface === 'mention' ? 'mention' : 'command' }, cleanInput(turn.action.value), locale, observer, now);
    }
    if (turn.action) {
      const entry = this.actions.find((a) => turn.action!.id === a.prefix || turn.action!.id.startsWith(`${a.prefix}.`));
      if (!entry) {
        this.logger.warn({ action: turn.action.id }, 'unknown action');
        return [this.helpReply(locale, m.unknownCommand(turn.action.id))];
      }
      return entry.handler({ turn, action: turn.action, locale, observer, now });
    }
    if (!text) {
      if (turn.attachments) return [{ kind: 'info', locale, text: m.attachmentsIgnored }];
      return [{ kind: 'info', locale, text: m.emptyMessage }];
    }
    if (text.length > MAX_MESSAGE_CHARS) {
      return [{ kind: 'info', locale, text: m.tooLong(MAX_MESSAGE_CHARS, text.length) }];
    }
    const { command, word, args } = this.parse(text);
    const isPrivate = turn.surface !== 'mention';
    const explicit = turn.surface === 'command' || turn.surface === 'cli';

    if (turn.surface === 'dm' || turn.surface === 'assistant' || turn.surface === 'cli') {
      const strict = !!command && (args === '' || (!!command.acceptsInDm && command.acceptsInDm(args)));
      for (const hook of this.conversationHooks) {
        const claimed = await hook({ turn, locale, args: text, observer, now, command: command ? { name: command.name, strict } : undefined });
        if (claimed) return claimed;
      }
    }
    if (command && (explicit || !command.acceptsInDm || command.acceptsInDm(args) || args === '')) {
      if (!isPrivate && command.name !== 'help' && command.name !== 'ask') {
        return [{ kind: 'info', locale, text: m.channelCommandRefused }];
      }
      if (command.membersOnly && turn.actor.isGuest) return [{ kind: 'info', locale, text: m.membersOnly, private: true }];
      return command.handle({ turn, locale, args, observer, now });
    }
    if (turn.surface === 'command' && word) {
      // `/career something-unknown`: say so, and show what is possible.
      return [this.helpReply(locale, m.unknownCommand(word))];
    }
    if (!this.consultation) return [this.helpReply(locale, m.notUnderstood(truncate(text, 40)))];
    return this.consultation({ turn, locale, args: text, observer, now, publicOnly: !isPrivate });
  }

  private parse(text: string): { command?: CommandSpec; word?: string; args: string } {
    const match = /^\/?(\S+)(?:\s+([\s\S]*))?$/.exec(text.trim());
    if (!match) return { args: text };
    const word = match[1]!.toLowerCase();
    const command = this.commands.get(word);
    return { command, word: match[1], args: (match[2] ?? '').trim() };
  }

  /** The `help` reply: every listed command with its usage and summary. */
  helpReply(locale: Locale, lead?: string): Reply {
    const m = coreMessages[locale];
    const lines = this.listCommands().map((c) => `- \`${(c.usage ?? { ja: c.name, en: c.name })[locale]}\` — ${c.summary[locale]}`);
    const text = [lead, m.helpIntro, lines.join('\n'), m.helpFooter].filter(Boolean).join('\n\n');
    return { kind: 'help', locale, title: m.helpTitle, text };
  }
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}
