/**
 * Storage of reflection settings, consent, sessions and the journal. Every read of a journal
 * entry is scoped by `person_id`: a person's reflections are theirs, and that is enforced here,
 * where the data is read, not by whoever calls.
 */
import { DateTime } from 'luxon';
import type { Db } from '../storage/database';
import { nextOccurrence } from './calendar';

/** Bump when the invitation's description of purpose or visibility changes. */
export const REFLECTION_CONSENT_VERSION = '2026-11-21';

/** A session claims a person's free-text DMs only while they are engaged with it. */
export const SESSION_ACTIVE_HOURS = 36;

/** Steps of the experiential-learning cycle, in order; `outcome` comes first when last week planned an experiment. */
export const STEPS = ['outcome', 'experience', 'reflection', 'lesson', 'experiment'] as const;
export type Step = (typeof STEPS)[number];
export type SessionStep = Step | 'done';
export const ENTRY_FIELDS = ['experience', 'reflection', 'lesson', 'experiment'] as const;
export type EntryField = (typeof ENTRY_FIELDS)[number];

export interface ReflectionSettings {
  personId: number;
  enabled: boolean;
  weekday: number;
  localTime: string;
  pausedUntil: string | null;
  skipWeek: string | null;
  invitedAt: string | null;
  nextDueAt: string | null;
  timezone: string;
}

export interface Session {
  id: number;
  personId: number;
  cycleWeek: string | null;
  step: SessionStep;
  entryId: number | null;
  recallEntryId: number | null;
  startedAt: string;
  touchedAt: string | null;
  completedAt: string | null;
}

export interface JournalEntry {
  id: number;
  personId: number;
  sessionId: number | null;
  experience: string | null;
  reflection: string | null;
  lesson: string | null;
  experiment: string | null;
  experimentOutcome: string | null;
  themes: string[];
  shared: boolean;
  createdAt: string;
  updatedAt: string;
}

interface SettingsRow {
  person_id: number;
  enabled: number;
  weekday: number;
  local_time: string;
  paused_until: string | null;
  skip_week: string | null;
  invited_at: string | null;
  next_due_at: string | null;
}

interface SessionRow {
  id: number;
  person_id: number;
  cycle_week: string | null;
  step: string;
  entry_id: number | null;
  recall_entry_id: number | null;
  started_at: string;
  touched_at: string | null;
  completed_at: string | null;
}

interface EntryRow {
  id: number;
  person_id: number;
  session_id: number | null;
  experience: string | null;
  reflection: string | null;
  lesson: string | null;
  experiment: string | null;
  experiment_outcome: string | null;
  themes: string;
  shared: number;
  created_at: string;
  updated_at: string;
}

const toSession = (r: SessionRow): Session => ({
  id: r.id,
  personId: r.person_id,
  cycleWeek: r.cycle_week,
  step: r.step as SessionStep,
  entryId: r.entry_id,
  recallEntryId: r.recall_entry_id,
  startedAt: r.started_at,
  touchedAt: r.touched_at,
  completedAt: r.completed_at,
});

const toEntry = (r: EntryRow): JournalEntry => ({
  id: r.id,
  personId: r.person_id,
  sessionId: r.session_id,
  experience: r.experience,
  reflection: r.reflection,
  lesson: r.lesson,
  experiment: r.experiment,
  experimentOutcome: r.experiment_outcome,
  themes: parseThemes(r.themes),
  shared: r.shared === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

function parseThemes(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

const HAS_CONTENT = `(COALESCE(experience,'') <> '' OR COALESCE(reflection,'') <> '' OR COALESCE(lesson,'') <> ''
  OR COALESCE(experiment,'') <> '' OR COALESCE(experiment_outcome,'') <> '')`;

export class ReflectionRepository {
  constructor(
    private readonly db: Db,
    private readonly defaultTimezone: string,
  ) {}

  /** The person's zone: organisation file or Slack profile, else the deployment default. */
  zoneOf(personId: number): string {
    const row = this.db.prepare('SELECT timezone FROM people WHERE id = ?').get(personId) as { timezone: string | null } | undefined;
    return row?.timezone ?? this.defaultTimezone;
  }

  settings(personId: number): ReflectionSettings {
    const row = this.db.prepare('SELECT * FROM reflection_settings WHERE person_id = ?').get(personId) as SettingsRow | undefined;
    return {
      personId,
      enabled: row?.enabled === 1,
      weekday: row?.weekday ?? 5,
      localTime: row?.local_time ?? '16:00',
      pausedUntil: row?.paused_until ?? null,
      skipWeek: row?.skip_week ?? null,
      invitedAt: row?.invited_at ?? null,
      nextDueAt: row?.next_due_at ?? null,
      timezone: this.zoneOf(personId),
    };
  }

  private ensureSettings(personId: number): void {
    this.db.prepare('INSERT OR IGNORE INTO reflection_settings (person_id) VALUES (?)').run(personId);
  }

  /** Changes settings and recomputes the next prompt instant in one transaction. */
  update(
    personId: number,
    now: Date,
    fields: Partial<Pick<ReflectionSettings, 'enabled' | 'weekday' | 'localTime' | 'pausedUntil' | 'skipWeek'>>,
  ): ReflectionSettings {
    return this.db.transaction(() => {
      this.ensureSettings(personId);
      const current = this.settings(personId);
      const next = { ...current, ...fields };
      this.db
        .prepare(
          `UPDATE reflection_settings SET enabled = ?, weekday = ?, local_time = ?, paused_until = ?, skip_week = ?, updated_at = ?
           WHERE person_id = ?`,
        )
        .run(next.enabled ? 1 : 0, next.weekday, next.localTime, next.pausedUntil, next.skipWeek, now.toISOString(), personId);
      this.refreshNextDue(personId, now);
      return this.settings(personId);
    })();
  }

  /**
   * Recomputes `next_due_at` from the settings, strictly after `after` (for the scheduler: after
   * the slot just handled; for a settings change: after now). NULL when off or paused for good.
   */
  refreshNextDue(personId: number, after: Date): string | null {
    const s = this.settings(personId);
    const next = s.enabled ? nextOccurrence(s, s.timezone, after, s) : null;
    const iso = next ? next.toUTC().toISO()! : null;
    this.db.prepare('UPDATE reflection_settings SET next_due_at = ?, due_zone = ? WHERE person_id = ?').run(iso, s.timezone, personId);
    return iso;
  }

  /** Records the weekly-reflection consent decision with the version of the invitation text. */
  recordConsent(personId: number, granted: boolean, now: Date): void {
    this.db
      .prepare(
        `INSERT INTO consents (person_id, kind, granted, notice_version, decided_at) VALUES (?, 'weekly_reflection', ?, ?, ?)
         ON CONFLICT (person_id, kind) DO UPDATE SET granted = excluded.granted, notice_version = excluded.notice_version, decided_at = excluded.decided_at`,
      )
      .run(personId, granted ? 1 : 0, REFLECTION_CONSENT_VERSION, now.toISOString());
  }

  consent(personId: number): { granted: boolean; version: string; decidedAt: string } | undefined {
    const row = this.db
      .prepare("SELECT granted, notice_version, decided_at FROM consents WHERE person_id = ? AND kind = 'weekly_reflection'")
      .get(personId) as { granted: number; notice_version: string; decided_at: string } | undefined;
    return row && { granted: row.granted === 1, version: row.notice_version, decidedAt: row.decided_at };
  }

  /** Gives or withdraws consent; withdrawing also cancels prompts not yet sent. */
  setConsent(personId: number, granted: boolean, now: Date): ReflectionSettings {
    return this.db.transaction(() => {
      this.recordConsent(personId, granted, now);
      if (!granted) {
        this.db
          .prepare("UPDATE outbox SET status = 'cancelled', last_error = 'consent withdrawn' WHERE person_id = ? AND status = 'pending' AND kind IN ('reflection_prompt','reminder','summary')")
          .run(personId);
        this.db.prepare('UPDATE reflection_sessions SET reminder_due_at = NULL WHERE person_id = ?').run(personId);
      }
      return this.update(personId, now, { enabled: granted });
    })();
  }

  markInvited(personId: number, at: Date): void {
    this.ensureSettings(personId);
    this.db.prepare('UPDATE reflection_settings SET invited_at = COALESCE(invited_at, ?) WHERE person_id = ?').run(at.toISOString(), personId);
  }

  // ---- sessions -------------------------------------------------------------------------------

  session(id: number, personId: number): Session | undefined {
    const row = this.db.prepare('SELECT * FROM reflection_sessions WHERE id = ? AND person_id = ?').get(id, personId) as SessionRow | undefined;
    return row && toSession(row);
  }

  /** The incomplete session the person is engaged with (touched within the active window). */
  activeSession(personId: number, now: Date): Session | undefined {
    const since = new Date(now.getTime() - SESSION_ACTIVE_HOURS * 3_600_000).toISOString();
    const row = this.db
      .prepare(
        `SELECT * FROM reflection_sessions WHERE person_id = ? AND completed_at IS NULL AND COALESCE(touched_at, started_at) >= ?
         ORDER BY id DESC LIMIT 1`,
      )
      .get(personId, since) as SessionRow | undefined;
    return row && toSession(row);
  }

  /** The most recent incomplete session, however old (for `reflect`, which continues it). */
  latestIncomplete(personId: number, now: Date, maxAgeDays = 7): Session | undefined {
    const since = new Date(now.getTime() - maxAgeDays * 86_400_000).toISOString();
    const row = this.db
      .prepare('SELECT * FROM reflection_sessions WHERE person_id = ? AND completed_at IS NULL AND started_at >= ? ORDER BY id DESC LIMIT 1')
      .get(personId, since) as SessionRow | undefined;
    return row && toSession(row);
  }

  sessionForWeek(personId: number, cycleWeek: string): Session | undefined {
    const row = this.db.prepare('SELECT * FROM reflection_sessions WHERE person_id = ? AND cycle_week = ?').get(personId, cycleWeek) as
      | SessionRow
      | undefined;
    return row && toSession(row);
  }

  /**
   * Opens a session with its (empty) journal entry. A scheduled one (`cycleWeek`) is created at
   * most once per week; a second call returns the first. Older incomplete sessions are closed.
   */
  startSession(personId: number, now: Date, options: { cycleWeek?: string; reminderDueAt?: Date } = {}): Session {
    return this.db.transaction(() => {
      if (options.cycleWeek) {
        const existing = this.sessionForWeek(personId, options.cycleWeek);
        if (existing) return existing;
      }
      const open = this.db.prepare('SELECT id FROM reflection_sessions WHERE person_id = ? AND completed_at IS NULL').all(personId) as Array<{ id: number }>;
      for (const s of open) this.closeSession(s.id, personId, now);
      const recall = this.entryToRecall(personId, now);
      const at = now.toISOString();
      const info = this.db
        .prepare(
          `INSERT INTO reflection_sessions (person_id, cycle_week, step, recall_entry_id, started_at, touched_at, reminder_due_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(personId, options.cycleWeek ?? null, recall ? 'outcome' : 'experience', recall?.id ?? null, at, at, options.reminderDueAt?.toISOString() ?? null);
      const sessionId = Number(info.lastInsertRowid);
      const entry = this.db
        .prepare('INSERT INTO journal_entries (person_id, session_id, created_at, updated_at) VALUES (?, ?, ?, ?)')
        .run(personId, sessionId, at, at);
      this.db.prepare('UPDATE reflection_sessions SET entry_id = ? WHERE id = ?').run(Number(entry.lastInsertRowid), sessionId);
      return this.session(sessionId, personId)!;
    })();
  }

  /** Last week's planned experiment whose outcome is not yet known (within three weeks). */
  entryToRecall(personId: number, now: Date): JournalEntry | undefined {
    const since = new Date(now.getTime() - 21 * 86_400_000).toISOString();
    const row = this.db
      .prepare(
        `SELECT * FROM journal_entries WHERE person_id = ? AND COALESCE(experiment,'') <> '' AND experiment_outcome IS NULL AND created_at >= ?
         ORDER BY created_at DESC, id DESC LIMIT 1`,
      )
      .get(personId, since) as EntryRow | undefined;
    return row && toEntry(row);
  }

  /** Records an answer (or a skip, `text` null) for the current step and moves to the next one. */
  answer(session: Session, step: Step, text: string | null, now: Date): Session {
    return this.db.transaction(() => {
      const at = now.toISOString();
      if (text !== null) {
        if (step === 'outcome') {
          if (session.recallEntryId) {
            this.db
              .prepare('UPDATE journal_entries SET experiment_outcome = ?, updated_at = ? WHERE id = ? AND person_id = ?')
              .run(text, at, session.recallEntryId, session.personId);
          }
        } else if (session.entryId) {
          this.db.prepare(`UPDATE journal_entries SET ${step} = ?, updated_at = ? WHERE id = ? AND person_id = ?`).run(text, at, session.entryId, session.personId);
        }
        // Any answer means the person engaged: no reminder for this week.
        this.db.prepare('UPDATE reflection_sessions SET reminder_due_at = NULL WHERE id = ?').run(session.id);
      }
      const next = nextStep(step);
      this.db
        .prepare('UPDATE reflection_sessions SET step = ?, touched_at = ?, completed_at = ? WHERE id = ?')
        .run(next, at, next === 'done' ? at : null, session.id);
      if (next === 'done') this.dropIfEmpty(session);
      return this.session(session.id, session.personId)!;
    })();
  }

  /** Fills several fields at once (an answer written in one message, split by the model). */
  fillEntry(session: Session, fields: Partial<Record<EntryField, string>>, now: Date): void {
    if (!session.entryId) return;
    for (const field of ENTRY_FIELDS) {
      const value = fields[field];
      if (value) this.db.prepare(`UPDATE journal_entries SET ${field} = ?, updated_at = ? WHERE id = ? AND person_id = ?`).run(value, now.toISOString(), session.entryId, session.personId);
    }
  }

  /** Moves the session to `step` (after a multi-field answer). */
  moveTo(session: Session, step: SessionStep, now: Date): Session {
    const at = now.toISOString();
    this.db
      .prepare('UPDATE reflection_sessions SET step = ?, touched_at = ?, completed_at = ?, reminder_due_at = NULL WHERE id = ?')
      .run(step, at, step === 'done' ? at : null, session.id);
    if (step === 'done') this.dropIfEmpty(session);
    return this.session(session.id, session.personId)!;
  }

  touch(sessionId: number, now: Date): void {
    this.db.prepare('UPDATE reflection_sessions SET touched_at = ? WHERE id = ?').run(now.toISOString(), sessionId);
  }

  closeSession(sessionId: number, personId: number, now: Date): void {
    const s = this.session(sessionId, personId);
    if (!s || s.completedAt) return;
    this.db.prepare('UPDATE reflection_sessions SET completed_at = ?, reminder_due_at = NULL WHERE id = ?').run(now.toISOString(), sessionId);
    this.dropIfEmpty(s);
  }

  /** An entry nobody wrote anything in is not a journal entry. */
  private dropIfEmpty(session: Session): void {
    if (session.entryId) this.db.prepare(`DELETE FROM journal_entries WHERE id = ? AND person_id = ? AND NOT ${HAS_CONTENT}`).run(session.entryId, session.personId);
  }

  setThemes(entryId: number, personId: number, themes: string[]): void {
    this.db.prepare('UPDATE journal_entries SET themes = ? WHERE id = ? AND person_id = ?').run(JSON.stringify(themes), entryId, personId);
  }

  // ---- journal --------------------------------------------------------------------------------

  /** The person's own entry, or undefined (also when the id belongs to someone else). */
  entry(id: number, personId: number): JournalEntry | undefined {
    const row = this.db.prepare('SELECT * FROM journal_entries WHERE id = ? AND person_id = ?').get(id, personId) as EntryRow | undefined;
    return row && toEntry(row);
  }

  /** The person's entries with some content, newest first. */
  entries(personId: number, limit = 5, offset = 0): JournalEntry[] {
    return (
      this.db
        .prepare(`SELECT * FROM journal_entries WHERE person_id = ? AND ${HAS_CONTENT} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`)
        .all(personId, limit, offset) as EntryRow[]
    ).map(toEntry);
  }

  /**
   * 1on1 preparations about this person, newest first: the member sees that their manager
   * prepared a 1on1 with Tsumiki (who and when, never what was suggested).
   */
  preparationsAbout(personId: number, limit = 3): Array<{ managerName: string | null; at: string }> {
    return (
      this.db
        .prepare(
          `SELECT p.name AS managerName, r.created_at AS at FROM oneonone_requests r JOIN people p ON p.id = r.manager_person_id
            WHERE r.member_person_id = ? ORDER BY r.created_at DESC, r.id DESC LIMIT ?`,
        )
        .all(personId, limit) as Array<{ managerName: string | null; at: string }>
    );
  }

  countEntries(personId: number): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM journal_entries WHERE person_id = ? AND ${HAS_CONTENT}`).get(personId) as { n: number }).n;
  }

  /** Entries created since `since`, oldest first (for the four-weekly summary). */
  entriesSince(personId: number, since: Date): JournalEntry[] {
    return (
      this.db
        .prepare(`SELECT * FROM journal_entries WHERE person_id = ? AND created_at >= ? AND ${HAS_CONTENT} ORDER BY created_at, id`)
        .all(personId, since.toISOString()) as EntryRow[]
    ).map(toEntry);
  }

  updateEntry(id: number, personId: number, fields: Partial<Record<EntryField | 'experimentOutcome', string | null>>, now: Date): boolean {
    const current = this.entry(id, personId);
    if (!current) return false;
    const v = { ...current, ...fields };
    this.db
      .prepare(
        `UPDATE journal_entries SET experience = ?, reflection = ?, lesson = ?, experiment = ?, experiment_outcome = ?, updated_at = ?
         WHERE id = ? AND person_id = ?`,
      )
      .run(v.experience, v.reflection, v.lesson, v.experiment, v.experimentOutcome, now.toISOString(), id, personId);
    return true;
  }

  deleteEntry(id: number, personId: number): boolean {
    return this.db.prepare('DELETE FROM journal_entries WHERE id = ? AND person_id = ?').run(id, personId).changes === 1;
  }

  setShared(id: number, personId: number, shared: boolean, now: Date): boolean {
    return (
      this.db
        .prepare('UPDATE journal_entries SET shared = ?, updated_at = ? WHERE id = ? AND person_id = ?')
        .run(shared ? 1 : 0, now.toISOString(), id, personId).changes === 1
    );
  }
}

function nextStep(step: Step): SessionStep {
  const i = STEPS.indexOf(step);
  return i === STEPS.length - 1 ? 'done' : STEPS[i + 1]!;
}

/** Formats an ISO instant in the person's zone for display, e.g. `2026-11-27 (Fri) 16:00`. */
export function formatLocal(iso: string, zone: string, locale: 'ja' | 'en'): string {
  const d = DateTime.fromISO(iso, { zone }).setLocale(locale === 'ja' ? 'ja-JP' : 'en-GB');
  return locale === 'ja' ? d.toFormat('yyyy年M月d日(ccc) HH:mm') : d.toFormat('ccc d LLL yyyy, HH:mm');
}
