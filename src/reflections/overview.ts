/**
 * What App Home (Slack) and the settings card (Teams) show about a person's reflections.
 * Channels call this; they never read the reflection tables themselves.
 */
import type { Db } from '../storage/database';

export interface JournalEntrySummary {
  id: number;
  createdAt: string;
  experience: string | null;
  lesson: string | null;
  experiment: string | null;
  shared: boolean;
}

export interface ReflectionOverview {
  /** Consent to weekly prompts. */
  enabled: boolean;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** HH:MM in the person's time zone. */
  localTime: string;
  timezone: string;
  pausedUntil: string | null;
  /** The next weekly prompt as an ISO instant, or null when off or paused indefinitely. */
  nextPromptAt: string | null;
  shareWithManager: boolean;
  recentEntries: JournalEntrySummary[];
  /** 1on1 preparations about this person (the member sees that their manager prepared one). */
  oneOnOnePreparations: Array<{ managerName: string | null; at: string }>;
}

export function reflectionOverview(db: Db, personId: number, options: { defaultTimezone: string; now: Date; entries?: number }): ReflectionOverview {
  const settings = db
    .prepare('SELECT enabled, weekday, local_time, paused_until, next_due_at FROM reflection_settings WHERE person_id = ?')
    .get(personId) as { enabled: number; weekday: number; local_time: string; paused_until: string | null; next_due_at: string | null } | undefined;
  const person = db.prepare('SELECT timezone, share_with_manager FROM people WHERE id = ?').get(personId) as
    | { timezone: string | null; share_with_manager: number }
    | undefined;
  const entries = db
    .prepare(
      `SELECT id, created_at, experience, lesson, experiment, shared FROM journal_entries
       WHERE person_id = ? AND (COALESCE(experience,'') <> '' OR COALESCE(reflection,'') <> '' OR COALESCE(lesson,'') <> ''
         OR COALESCE(experiment,'') <> '' OR COALESCE(experiment_outcome,'') <> '')
       ORDER BY created_at DESC, id DESC LIMIT ?`,
    )
    .all(personId, options.entries ?? 5) as Array<{
    id: number;
    created_at: string;
    experience: string | null;
    lesson: string | null;
    experiment: string | null;
    shared: number;
  }>;
  const preparations = db
    .prepare(
      `SELECT p.name AS manager_name, r.created_at AS at FROM oneonone_requests r JOIN people p ON p.id = r.manager_person_id
       WHERE r.member_person_id = ? ORDER BY r.created_at DESC LIMIT 5`,
    )
    .all(personId) as Array<{ manager_name: string | null; at: string }>;
  return {
    enabled: settings?.enabled === 1,
    weekday: settings?.weekday ?? 5,
    localTime: settings?.local_time ?? '16:00',
    timezone: person?.timezone ?? options.defaultTimezone,
    pausedUntil: settings?.paused_until ?? null,
    // Precomputed by the reflection calendar whenever settings change or a prompt is enqueued.
    nextPromptAt: settings?.enabled === 1 ? settings.next_due_at : null,
    shareWithManager: person?.share_with_manager === 1,
    recentEntries: entries.map((e) => ({
      id: e.id,
      createdAt: e.created_at,
      experience: e.experience,
      lesson: e.lesson,
      experiment: e.experiment,
      shared: e.shared === 1,
    })),
    oneOnOnePreparations: preparations.map((p) => ({ managerName: p.manager_name, at: p.at })),
  };
}
