/**
 * Slack user → Actor. An identity from the organisation import (slack_user_id) is used as is;
 * otherwise the Slack profile (users.info: e-mail, time zone, locale) lets the resolver match the
 * person by e-mail, and a person still unknown becomes a guest (consultation yes, manager features no).
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { CoreServices } from '../../core/core-services';
import type { Actor, Locale } from '../../core/types';
import type { IdentityHints } from '../../people/actor-resolver';

export interface SlackProfile {
  name?: string;
  email?: string;
  timezone?: string;
  locale?: Locale;
}

const PROFILE_TTL_MS = 3600_000;

/** Slack locales look like `ja-JP` / `en-US`. */
export function slackLocale(locale: string | undefined): Locale | undefined {
  if (!locale) return undefined;
  if (/^ja\b/i.test(locale)) return 'ja';
  if (/^en\b/i.test(locale)) return 'en';
  return undefined;
}

export class SlackIdentity {
  private readonly profiles = new Map<string, { at: number; profile: SlackProfile | undefined }>();

  constructor(
    private readonly core: CoreServices,
    private readonly client: webApi.WebClient,
    private readonly logger: Logger,
  ) {}

  /** The Slack profile (cached for an hour); undefined when Slack cannot tell (the turn goes on without it). */
  async profile(userId: string): Promise<SlackProfile | undefined> {
    const cached = this.profiles.get(userId);
    if (cached && Date.now() - cached.at < PROFILE_TTL_MS) return cached.profile;
    let profile: SlackProfile | undefined;
    try {
      const result = await this.client.users.info({ user: userId, include_locale: true });
      const user = result.user;
      profile = user
        ? {
            name: user.real_name || user.profile?.real_name || user.name || undefined,
            email: user.profile?.email || undefined,
            timezone: user.tz || undefined,
            locale: slackLocale(user.locale),
          }
        : undefined;
    } catch (error) {
      // users:read.email missing, user gone, Slack slow: the person is still served.
      this.logger.warn({ err: { message: (error as Error).message, code: (error as { code?: string }).code } }, 'users.info failed');
    }
    this.profiles.set(userId, { at: Date.now(), profile });
    return profile;
  }

  /**
   * The Actor for a Slack user. users.info is called only when it can change the outcome:
   * an identity not seen before, or a person whose time zone is still unknown.
   */
  async actorFor(userId: string, teamId?: string): Promise<Actor> {
    // request-guard.ts checks ids at the door; this keeps a bad one out of the identities table whatever the path.
    if (typeof userId !== 'string' || userId.trim() === '') throw new Error('a Slack user id must be a non-empty string');
    const known = this.core.people.identity('slack', userId);
    const person = known ? this.core.people.byId(known.personId) : undefined;
    let hints: IdentityHints = { teamId };
    if (!person || !person.timezone) {
      const profile = await this.profile(userId);
      if (profile) hints = { ...hints, ...profile };
    }
    return this.core.actors.resolve('slack', userId, hints);
  }

  /** The DM channel with a user, opened once and remembered on the identity. */
  async dmChannel(userId: string, client: webApi.WebClient = this.client): Promise<string> {
    const identity = this.core.people.identity('slack', userId);
    if (identity?.dmChannelId) return identity.dmChannelId;
    const opened = await client.conversations.open({ users: userId });
    const channel = opened.channel?.id;
    if (!channel) throw new Error('conversations.open returned no channel');
    if (identity) this.core.people.updateIdentity(identity.id, { dmChannelId: channel, reachable: true, unreachableReason: null });
    return channel;
  }
}
