/** Consultation tables (migration versions 200–299). */
import type { Migration } from '../storage/migrations';

export const consultationMigrations: Migration[] = [
  {
    version: 200,
    name: 'consultation notices shown once per person',
    up: `
      -- What the consultation has told a person once (the offline-mode notice), so it is not repeated.
      CREATE TABLE consultation_notices (
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        notice TEXT NOT NULL,                  -- e.g. 'offline_mode'
        shown_at TEXT NOT NULL,
        PRIMARY KEY (person_id, notice)
      );
    `,
  },
];
