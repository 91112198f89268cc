/**
 * Who `1on1 <member>` is about, and whether the asker may prepare it. The member is named by a
 * Slack mention (`<@U123>` / `<@U123|name>`), a Teams mention (`<at>Name</at>`), an e-mail, an
 * employee id or a (partial, case-insensitive) name. Name matches are looked for only among the
 * people the asker may prepare 1on1s for, so an ambiguous name never lists strangers.
 */
import type { Actor } from '../core/types';
import type { Person, PeopleRepository } from '../people/people-repository';

export type MemberLookup =
  | { kind: 'empty' }
  /** `extra`: text after a mention or e-mail, which is not used for anything. */
  | { kind: 'found'; person: Person; extra: string }
  | { kind: 'unknown'; query: string; how: 'mention' | 'email' | 'name' }
  | { kind: 'ambiguous'; query: string; candidates: Person[] }
  /** A name that matches people the asker may not prepare 1on1s for, and none they may. */
  | { kind: 'notVisible'; query: string };

export type Authorization =
  | { allowed: true; basis: 'manager' | 'hr' }
  | { allowed: false; reason: 'guest' | 'self' | 'notReport' };

const SLACK_MENTION = /^(?:<|&lt;)@([UW][A-Z0-9]+)(?:\|[^>&]*)?(?:>|&gt;)\s*([\s\S]*)$/;
const TEAMS_MENTION = /^<at>([^<]*)<\/at>\s*([\s\S]*)$/i;
const EMAIL = /^(?:<?mailto:)?([^\s@<>|]+@[^\s@<>|]+\.[^\s@<>|]+?)(?:\|[^>]*)?>?(?:\s+([\s\S]*))?$/i;
const HONORIFIC = /(?:\s*(?:さん|様|さま|くん|君|ちゃん|氏)|[\s-]+(?:san|sama))$/i;
const MAX_CANDIDATES = 5;

/**
 * Decides whether `asker` may prepare a 1on1 about `member`: their direct manager from the
 * organisation import, or someone in the HR role. Guests, the member themselves, skip-level
 * managers and peers may not.
 */
export function authorizeOneOnOne(asker: Actor, member: Person, hrEmployeeIds: readonly string[]): Authorization {
  if (asker.isGuest || !asker.employeeId) return { allowed: false, reason: 'guest' };
  if (member.id === asker.personId) return { allowed: false, reason: 'self' };
  if (member.isGuest || !member.employeeId) return { allowed: false, reason: 'notReport' };
  if (member.managerEmployeeId !== null && member.managerEmployeeId === asker.employeeId) return { allowed: true, basis: 'manager' };
  if (hrEmployeeIds.includes(asker.employeeId)) return { allowed: true, basis: 'hr' };
  return { allowed: false, reason: 'notReport' };
}

/** The people `asker` may prepare 1on1s for: everyone in the organisation for HR, else direct reports. */
export function visiblePeople(asker: Actor, people: PeopleRepository, hrEmployeeIds: readonly string[]): Person[] {
  if (!asker.employeeId) return [];
  if (hrEmployeeIds.includes(asker.employeeId)) return people.allMembers().filter((p) => p.id !== asker.personId);
  return people.reportsOf(asker.employeeId).filter((p) => p.id !== asker.personId && !p.isGuest);
}

/**
 * Resolves the `<member>` argument of `1on1`.
 * @param visible the people the asker may prepare 1on1s for ({@link visiblePeople}); names are matched among them.
 * @param seesEveryone the asker is in the HR role (`visible` is the whole organisation).
 */
export function lookUpMember(args: string, asker: Actor, people: PeopleRepository, visible: Person[], seesEveryone: boolean): MemberLookup {
  const text = args.trim();
  if (text === '') return { kind: 'empty' };

  const slack = SLACK_MENTION.exec(text);
  if (slack) {
    const identity = people.identity('slack', slack[1]!);
    const person = identity ? people.byId(identity.personId) : undefined;
    return person ? { kind: 'found', person, extra: slack[2]!.trim() } : { kind: 'unknown', query: text.split(/\s/)[0]!, how: 'mention' };
  }

  const email = EMAIL.exec(text);
  if (email) {
    const person = people.byEmail(email[1]!);
    return person ? { kind: 'found', person, extra: (email[2] ?? '').trim() } : { kind: 'unknown', query: email[1]!, how: 'email' };
  }

  const teams = TEAMS_MENTION.exec(text);
  const name = (teams ? teams[1]! : text).replace(/^@/, '').trim();
  const extra = teams ? teams[2]!.trim() : '';

  const byId = people.byEmployeeId(name);
  if (byId) return { kind: 'found', person: byId, extra };

  const query = normalise(name.replace(HONORIFIC, ''));
  if (query === '') return { kind: 'empty' };
  const matches = matchByName(visible, query);
  if (matches.length === 1) return { kind: 'found', person: matches[0]!, extra };
  if (matches.length > 1) {
    const exact = matches.filter((p) => normalise(p.name ?? '') === query);
    if (exact.length === 1) return { kind: 'found', person: exact[0]!, extra };
    return { kind: 'ambiguous', query: name, candidates: matches.slice(0, MAX_CANDIDATES) };
  }
  // Not among the asker's people: say "not your report" if the name exists elsewhere, without saying who.
  // Their own name: found, so the refusal can say "not about yourself".
  const self = people.byId(asker.personId);
  if (self && matchByName([self], query).length > 0) return { kind: 'found', person: self, extra };
  if (!seesEveryone && matchByName(people.allMembers(), query).length > 0) return { kind: 'notVisible', query: name };
  return { kind: 'unknown', query: name, how: 'name' };
}

function matchByName(people: Person[], query: string): Person[] {
  return people.filter((p) => {
    const name = normalise(p.name ?? '');
    const local = normalise((p.email ?? '').split('@')[0] ?? '');
    return (name !== '' && name.includes(query)) || (local !== '' && local.includes(query));
  });
}

/** Width, case and spaces do not matter: 「佐藤 花子」 finds 「佐藤花子」, "hanako sato" finds "Hanako Sato". */
function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s._-]+/g, '');
}
