/**
 * Reflection tables beyond migration 1 (versions 500–599).
 *
 * `next_due_at` holds each person's next weekly prompt as a UTC instant so that a scheduler tick
 * is one index range query (`next_due_at <= now`) instead of a time-zone computation per person.
 * `due_zone` remembers the zone it was computed in, so a changed zone can be noticed and recomputed.
 */
import type { Migration } from '../storage/migrations';

export const reflectionMigrations: Migration[] = [
  {
    version: 500,
    name: 'reflections: precomputed next prompt, session activity and reminders',
    up: `
      ALTER TABLE reflection_settings ADD COLUMN next_due_at TEXT;
      ALTER TABLE reflection_settings ADD COLUMN due_zone TEXT;
      CREATE INDEX reflection_settings_due ON reflection_settings(next_due_at) WHERE next_due_at IS NOT NULL;

      ALTER TABLE reflection_sessions ADD COLUMN entry_id INTEGER REFERENCES journal_entries(id) ON DELETE SET NULL;
      ALTER TABLE reflection_sessions ADD COLUMN recall_entry_id INTEGER REFERENCES journal_entries(id) ON DELETE SET NULL;
      ALTER TABLE reflection_sessions ADD COLUMN touched_at TEXT;
      ALTER TABLE reflection_sessions ADD COLUMN reminder_due_at TEXT;
      -- One scheduled session per person and cycle week, however many processes send.
      CREATE UNIQUE INDEX reflection_sessions_week ON reflection_sessions(person_id, cycle_week) WHERE cycle_week IS NOT NULL;
      CREATE INDEX reflection_sessions_reminder ON reflection_sessions(reminder_due_at) WHERE reminder_due_at IS NOT NULL;
      CREATE INDEX journal_entries_session ON journal_entries(session_id);
      CREATE INDEX outbox_person ON outbox(person_id, kind);
      -- Set just before the message goes on the wire: a crashed claim without it was never sent.
      ALTER TABLE outbox ADD COLUMN in_flight_at TEXT;
    `,
  },
  {
    version: 501,
    name: 'reflections: count of weekly prompts queued (every fourth brings the summary)',
    up: `ALTER TABLE reflection_settings ADD COLUMN prompt_count INTEGER NOT NULL DEFAULT 0;`,
  },
];
