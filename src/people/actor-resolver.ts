/**
 * Turns a channel identity into an Actor. A known identity maps to its person; otherwise an
 * e-mail from the channel profile may match an imported employee; otherwise the person is a guest.
 */
import type { Actor, ChannelKind, Locale } from '../core/types';
import { isValidTimeZone } from '../core/time';
import type { Person, PeopleRepository } from './people-repository';

export interface IdentityHints {
  name?: string;
  email?: string;
  /** From the channel profile (Slack `tz`); used only when the organisation file has none. */
  timezone?: string;
  locale?: Locale;
  teamId?: string;
}

export interface ActorDefaults {
  timezone: string;
  locale: Locale;
}

export class ActorResolver {
  constructor(
    private readonly people: PeopleRepository,
    private readonly defaults: ActorDefaults,
  ) {}

  /**
   * @param lookupEmail called only for an identity seen for the first time, to fetch the
   *   profile e-mail (Slack `users.info`) when the channel did not send one.
   */
  async resolve(
    channel: ChannelKind,
    externalId: string,
    hints: IdentityHints = {},
    lookupEmail?: () => Promise<string | undefined>,
  ): Promise<Actor> {
    let identity = this.people.identity(channel, externalId);
    let person: Person | undefined = identity ? this.people.byId(identity.personId) : undefined;
    if (!person) {
      const email = hints.email ?? (lookupEmail ? await lookupEmail().catch(() => undefined) : undefined);
      const byEmail = email ? this.people.byEmail(email) : undefined;
      if (byEmail) {
        this.people.linkIdentity(byEmail.id, channel, externalId, hints.teamId);
        person = byEmail;
      } else {
        const zone = hints.timezone && isValidTimeZone(hints.timezone) ? hints.timezone : undefined;
        person = this.people.createGuest(channel, externalId, { name: hints.name, locale: hints.locale, timezone: zone });
      }
      identity = this.people.identity(channel, externalId);
    }
    if (identity && hints.teamId && identity.teamId !== hints.teamId) this.people.updateIdentity(identity.id, { teamId: hints.teamId });
    if (!person.timezone && hints.timezone && isValidTimeZone(hints.timezone)) {
      this.people.updatePreferences(person.id, { timezone: hints.timezone });
      person = { ...person, timezone: hints.timezone };
    }
    return this.toActor(person, channel, externalId, hints);
  }

  /** An Actor for a person found by employee id (CLI `ask --user`); guests for unknown ids. */
  forEmployee(employeeId: string): Actor {
    const person = this.people.byEmployeeId(employeeId);
    if (person) return this.toActor(person, 'cli', employeeId, {});
    const identity = this.people.identity('cli', employeeId);
    const guest = identity ? this.people.byId(identity.personId)! : this.people.createGuest('cli', employeeId);
    return this.toActor(guest, 'cli', employeeId, {});
  }

  toActor(person: Person, channel: ChannelKind, externalId: string, hints: IdentityHints): Actor {
    return {
      personId: person.id,
      employeeId: person.isGuest ? null : person.employeeId,
      name: person.name ?? hints.name ?? null,
      isGuest: person.isGuest,
      locale: person.locale ?? hints.locale ?? this.defaults.locale,
      timezone: person.timezone ?? this.defaults.timezone,
      channel,
      externalId,
    };
  }
}
