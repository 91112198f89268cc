/**
 * Teams tables (migration versions 400–499).
 *
 * Teams' feedback buttons (👍/👎 on an AI answer) arrive as a `message/submitAction` invoke that
 * names only the bot message's activity id, so the channel remembers which answer each sent
 * message carried. The row belongs to the person the answer was for and goes with them.
 */
import type { Migration } from '../../storage/migrations';

export const teamsMigrations: Migration[] = [
  {
    version: 400,
    name: 'teams: answer messages for the feedback loop',
    up: `
      CREATE TABLE teams_answer_messages (
        activity_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        answer_id INTEGER NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        PRIMARY KEY (conversation_id, activity_id)
      );
      CREATE INDEX teams_answer_messages_person ON teams_answer_messages(person_id);
    `,
  },
];
