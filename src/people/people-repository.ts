/**
 * People and their channel identities. Everything else about a person hangs off `people.id`
 * with ON DELETE CASCADE, so this is also where erasure starts.
 */
import type { Db } from '../storage/database';
import type { ChannelKind, Locale } from '../core/types';

export interface Person {
  id: number;
  employeeId: string | null;
  name: string | null;
  email: string | null;
  managerEmployeeId: string | null;
  timezone: string | null;
  locale: Locale | null;
  isGuest: boolean;
  shareWithManager: boolean;
}

export interface Identity {
  id: number;
  personId: number;
  channel: ChannelKind;
  externalId: string;
  teamId: string | null;
  dmChannelId: string | null;
  conversationRef: string | null;
  reachable: boolean;
  unreachableReason: string | null;
}

interface PersonRow {
  id: number;
  employee_id: string | null;
  name: string | null;
  email: string | null;
  manager_employee_id: string | null;
  timezone: string | null;
  locale: string | null;
  is_guest: number;
  share_with_manager: number;
}

interface IdentityRow {
  id: number;
  person_id: number;
  channel: string;
  external_id: string;
  team_id: string | null;
  dm_channel_id: string | null;
  conversation_ref: string | null;
  reachable: number;
  unreachable_reason: string | null;
}

const toPerson = (r: PersonRow): Person => ({
  id: r.id,
  employeeId: r.employee_id,
  name: r.name,
  email: r.email,
  managerEmployeeId: r.manager_employee_id,
  timezone: r.timezone,
  locale: r.locale === 'ja' || r.locale === 'en' ? r.locale : null,
  isGuest: r.is_guest === 1,
  shareWithManager: r.share_with_manager === 1,
});

const toIdentity = (r: IdentityRow): Identity => ({
  id: r.id,
  personId: r.person_id,
  channel: r.channel as ChannelKind,
  externalId: r.external_id,
  teamId: r.team_id,
  dmChannelId: r.dm_channel_id,
  conversationRef: r.conversation_ref,
  reachable: r.reachable === 1,
  unreachableReason: r.unreachable_reason,
});

export interface OrgRecord {
  employeeId: string;
  name: string;
  email: string | null;
  managerEmployeeId: string | null;
  slackUserId: string | null;
  teamsAadObjectId: string | null;
  timezone: string | null;
  locale: Locale | null;
}

export class PeopleRepository {
  constructor(private readonly db: Db) {}

  byId(id: number): Person | undefined {
    const row = this.db.prepare('SELECT * FROM people WHERE id = ?').get(id) as PersonRow | undefined;
    return row && toPerson(row);
  }

  byEmployeeId(employeeId: string): Person | undefined {
    const row = this.db.prepare('SELECT * FROM people WHERE employee_id = ?').get(employeeId) as PersonRow | undefined;
    return row && toPerson(row);
  }

  byEmail(email: string): Person | undefined {
    const row = this.db
      .prepare('SELECT * FROM people WHERE email = ? AND employee_id IS NOT NULL')
      .get(email.trim()) as PersonRow | undefined;
    return row && toPerson(row);
  }

  /** People whose name contains `fragment` (case-insensitive), members of the organisation only. */
  searchByName(fragment: string, limit = 5): Person[] {
    const rows = this.db
      .prepare(
        "SELECT * FROM people WHERE employee_id IS NOT NULL AND name LIKE '%' || ? || '%' ESCAPE '\\' ORDER BY name LIMIT ?",
      )
      .all(fragment.replace(/[\\%_]/g, (c) => `\\${c}`), limit) as PersonRow[];
    return rows.map(toPerson);
  }

  /** Direct reports of a manager, by employee id. */
  reportsOf(managerEmployeeId: string): Person[] {
    return (this.db.prepare('SELECT * FROM people WHERE manager_employee_id = ? ORDER BY name').all(managerEmployeeId) as PersonRow[]).map(
      toPerson,
    );
  }

  /** Every person in the organisation (not guests), in id order. */
  allMembers(): Person[] {
    return (this.db.prepare('SELECT * FROM people WHERE employee_id IS NOT NULL ORDER BY id').all() as PersonRow[]).map(toPerson);
  }

  identity(channel: ChannelKind, externalId: string): Identity | undefined {
    const row = this.db
      .prepare('SELECT * FROM identities WHERE channel = ? AND external_id = ?')
      .get(channel, externalId) as IdentityRow | undefined;
    return row && toIdentity(row);
  }

  identitiesOf(personId: number): Identity[] {
    return (this.db.prepare('SELECT * FROM identities WHERE person_id = ? ORDER BY id').all(personId) as IdentityRow[]).map(toIdentity);
  }

  /** Creates a guest: someone who wrote to the bot but is not (yet) in the organisation import. */
  createGuest(channel: ChannelKind, externalId: string, hints: { name?: string; locale?: Locale; timezone?: string } = {}): Person {
    return this.db.transaction(() => {
      const info = this.db
        .prepare('INSERT INTO people (name, locale, timezone, is_guest) VALUES (?, ?, ?, 1)')
        .run(hints.name ?? null, hints.locale ?? null, hints.timezone ?? null);
      const personId = Number(info.lastInsertRowid);
      this.linkIdentity(personId, channel, externalId);
      return this.byId(personId)!;
    })();
  }

  /** Attaches a channel identity to a person, moving it from another (guest) person if needed. */
  linkIdentity(personId: number, channel: ChannelKind, externalId: string, teamId?: string | null): void {
    const existing = this.identity(channel, externalId);
    if (existing && existing.personId === personId) return;
    this.db.transaction(() => {
      if (existing) {
        this.db.prepare('UPDATE identities SET person_id = ?, updated_at = ? WHERE id = ?').run(personId, new Date().toISOString(), existing.id);
        this.mergeGuestInto(existing.personId, personId);
      } else {
        this.db
          .prepare('INSERT INTO identities (person_id, channel, external_id, team_id) VALUES (?, ?, ?, ?)')
          .run(personId, channel, externalId, teamId ?? null);
      }
    })();
  }

  updateIdentity(
    identityId: number,
    fields: Partial<Pick<Identity, 'teamId' | 'dmChannelId' | 'conversationRef' | 'reachable' | 'unreachableReason'>>,
  ): void {
    const current = this.db.prepare('SELECT * FROM identities WHERE id = ?').get(identityId) as IdentityRow | undefined;
    if (!current) return;
    this.db
      .prepare(
        `UPDATE identities SET team_id = ?, dm_channel_id = ?, conversation_ref = ?, reachable = ?, unreachable_reason = ?, updated_at = ?
         WHERE id = ?`,
      )
      .run(
        fields.teamId !== undefined ? fields.teamId : current.team_id,
        fields.dmChannelId !== undefined ? fields.dmChannelId : current.dm_channel_id,
        fields.conversationRef !== undefined ? fields.conversationRef : current.conversation_ref,
        fields.reachable !== undefined ? (fields.reachable ? 1 : 0) : current.reachable,
        fields.unreachableReason !== undefined ? fields.unreachableReason : current.unreachable_reason,
        new Date().toISOString(),
        identityId,
      );
  }

  updatePreferences(personId: number, fields: { timezone?: string | null; locale?: Locale | null; shareWithManager?: boolean }): void {
    const p = this.byId(personId);
    if (!p) return;
    this.db
      .prepare('UPDATE people SET timezone = ?, locale = ?, share_with_manager = ?, updated_at = ? WHERE id = ?')
      .run(
        fields.timezone !== undefined ? fields.timezone : p.timezone,
        fields.locale !== undefined ? fields.locale : p.locale,
        fields.shareWithManager !== undefined ? (fields.shareWithManager ? 1 : 0) : p.shareWithManager ? 1 : 0,
        new Date().toISOString(),
        personId,
      );
  }

  /**
   * Inserts or updates a person from the organisation import and links their channel ids.
   * Never deletes anything: a re-import keeps every journal.
   */
  upsertFromOrg(record: OrgRecord): { personId: number; created: boolean } {
    return this.db.transaction(() => {
      const existing = this.byEmployeeId(record.employeeId);
      let personId: number;
      let created = false;
      if (existing) {
        personId = existing.id;
        this.db
          .prepare(
            `UPDATE people SET name = ?, email = ?, manager_employee_id = ?, timezone = COALESCE(?, timezone),
               locale = COALESCE(?, locale), is_guest = 0, updated_at = ? WHERE id = ?`,
          )
          .run(record.name, record.email, record.managerEmployeeId, record.timezone, record.locale, new Date().toISOString(), personId);
      } else {
        const info = this.db
          .prepare('INSERT INTO people (employee_id, name, email, manager_employee_id, timezone, locale) VALUES (?, ?, ?, ?, ?, ?)')
          .run(record.employeeId, record.name, record.email, record.managerEmployeeId, record.timezone, record.locale);
        personId = Number(info.lastInsertRowid);
        created = true;
      }
      if (record.slackUserId) this.linkIdentity(personId, 'slack', record.slackUserId);
      if (record.teamsAadObjectId) this.linkIdentity(personId, 'teams', record.teamsAadObjectId);
      return { personId, created };
    })();
  }

  /** Moves what a guest accumulated to the real person, then removes the guest row. */
  private mergeGuestInto(guestId: number, personId: number): void {
    if (guestId === personId) return;
    const guest = this.byId(guestId);
    if (!guest?.isGuest) return;
    const remaining = this.db.prepare('SELECT COUNT(*) AS n FROM identities WHERE person_id = ?').get(guestId) as { n: number };
    if (remaining.n > 0) return;
    for (const table of ['conversations', 'conversation_messages', 'answers', 'feedback', 'consents', 'journal_entries', 'reflection_sessions']) {
      this.db.prepare(`UPDATE OR IGNORE ${table} SET person_id = ? WHERE person_id = ?`).run(personId, guestId);
    }
    this.db.prepare('DELETE FROM people WHERE id = ?').run(guestId);
  }
}
