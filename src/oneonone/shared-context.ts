/**
 * The ONE place where 1on1 preparation reads a member's reflections. It selects only what the
 * member chose to share — lessons and themes of every entry when `share on`, plus the entries they
 * shared one by one — and nothing else leaves this function: no whole journal rows, no private
 * reflections. Everything downstream (the bank choice, the model prompt, the reply) sees only this.
 */
import type { Db } from '../storage/database';

/** One shared piece of a journal entry. Fields the member did not share are absent. */
export interface SharedEntry {
  createdAt: string;
  /** Present only for entries the member shared individually. */
  experience?: string;
  lesson?: string;
  /** Present only for entries the member shared individually. */
  experiment?: string;
  themes: string[];
}

export interface SharedContext {
  /** `share on`: lessons and themes of all entries may be used. */
  sharesLessonsAndThemes: boolean;
  entries: SharedEntry[];
  /** Distinct shared themes, most recent first. */
  themes: string[];
  /** Shared lessons, most recent first. */
  lessons: string[];
}

/** How many recent entries are considered; older reflections matter less for the next 1on1. */
const MAX_ENTRIES = 10;
/** Shared texts are cut to this length before they go anywhere. */
const MAX_FIELD_CHARS = 300;

interface SharedRow {
  created_at: string;
  experience: string | null;
  lesson: string | null;
  experiment: string | null;
  themes: string | null;
}

/**
 * What member `memberPersonId` shares with their manager. The SQL itself decides: unshared columns
 * are never selected (CASE … END yields NULL), and entries are read only when the member said
 * `share on` or shared that entry.
 */
export function sharedContextFor(db: Db, memberPersonId: number): SharedContext {
  const person = db.prepare('SELECT share_with_manager FROM people WHERE id = ?').get(memberPersonId) as
    | { share_with_manager: number }
    | undefined;
  const rows = db
    .prepare(
      `SELECT j.created_at,
              CASE WHEN j.shared = 1 THEN j.experience END AS experience,
              CASE WHEN j.shared = 1 OR p.share_with_manager = 1 THEN j.lesson END AS lesson,
              CASE WHEN j.shared = 1 THEN j.experiment END AS experiment,
              CASE WHEN j.shared = 1 OR p.share_with_manager = 1 THEN j.themes END AS themes
         FROM journal_entries j JOIN people p ON p.id = j.person_id
        WHERE j.person_id = ? AND (j.shared = 1 OR p.share_with_manager = 1)
        ORDER BY j.created_at DESC, j.id DESC
        LIMIT ?`,
    )
    .all(memberPersonId, MAX_ENTRIES) as SharedRow[];

  const entries: SharedEntry[] = rows.map((r) => {
    const entry: SharedEntry = { createdAt: r.created_at, themes: parseThemes(r.themes) };
    const experience = clip(r.experience);
    const lesson = clip(r.lesson);
    const experiment = clip(r.experiment);
    if (experience) entry.experience = experience;
    if (lesson) entry.lesson = lesson;
    if (experiment) entry.experiment = experiment;
    return entry;
  });
  const themes = [...new Set(entries.flatMap((e) => e.themes))];
  const lessons = entries.map((e) => e.lesson).filter((l): l is string => !!l);
  return { sharesLessonsAndThemes: person?.share_with_manager === 1, entries, themes, lessons };
}

/** True when there is anything shared to personalise with. */
export function hasSharedContent(context: SharedContext): boolean {
  return context.entries.some((e) => e.lesson || e.experience || e.experiment || e.themes.length > 0);
}

function parseThemes(json: string | null): string[] {
  if (!json) return [];
  try {
    const value: unknown = JSON.parse(json);
    if (!Array.isArray(value)) return [];
    return value.filter((t): t is string => typeof t === 'string' && t.trim() !== '').map((t) => clip(t)!).slice(0, 10);
  } catch {
    return []; // a malformed themes column must not break the manager's request
  }
}

function clip(text: string | null | undefined): string | undefined {
  if (!text) return undefined;
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  const chars = [...trimmed];
  return chars.length <= MAX_FIELD_CHARS ? trimmed : `${chars.slice(0, MAX_FIELD_CHARS).join('')}…`;
}
