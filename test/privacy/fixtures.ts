/** Plants a row about a person in every core table, each carrying a unique phrase, for export and erasure tests. */
import type { Db } from '../../src/storage/database';

export interface Planted {
  phrase: string;
  journalPhrase: string;
  messagePhrase: string;
  answerId: number;
}

/** `otherId`: a second person (the manager or a member) for 1on1 requests both ways. */
export function plantPersonalData(db: Db, personId: number, phrase: string, otherId?: number): Planted {
  const journalPhrase = `${phrase}-journal`;
  const messagePhrase = `${phrase}-message`;
  const conv = Number(
    db.prepare("INSERT INTO conversations (person_id, channel, thread_key) VALUES (?, 'cli', ?)").run(personId, `thread-${phrase}`).lastInsertRowid,
  );
  db.prepare("INSERT INTO conversation_messages (conversation_id, person_id, role, content) VALUES (?, ?, 'user', ?)").run(conv, personId, messagePhrase);
  db.prepare("INSERT INTO conversation_messages (conversation_id, person_id, role, content) VALUES (?, ?, 'assistant', ?)").run(conv, personId, `reply to ${messagePhrase}`);
  const answerId = Number(
    db.prepare("INSERT INTO answers (person_id, channel, answer, sources, generated) VALUES (?, 'cli', ?, '[\"trn-001\"]', 0)").run(personId, `answer ${phrase}`)
      .lastInsertRowid,
  );
  db.prepare('INSERT INTO feedback (answer_id, person_id, rating) VALUES (?, ?, 1)').run(answerId, personId);
  db.prepare("INSERT OR REPLACE INTO consents (person_id, kind, granted, notice_version) VALUES (?, 'weekly_reflection', 1, 'v-test')").run(personId);
  db.prepare('INSERT OR REPLACE INTO reflection_settings (person_id, enabled, weekday, local_time) VALUES (?, 1, 5, ?)').run(personId, '16:00');
  const session = Number(db.prepare("INSERT INTO reflection_sessions (person_id, cycle_week, step) VALUES (?, '2026-W47', 'done')").run(personId).lastInsertRowid);
  db.prepare("INSERT INTO journal_entries (person_id, session_id, experience, lesson, themes) VALUES (?, ?, ?, ?, '[\"growth\"]')").run(
    personId,
    session,
    journalPhrase,
    `lesson ${phrase}`,
  );
  db.prepare("INSERT INTO outbox (person_id, dedupe_key, kind, payload) VALUES (?, ?, 'reflection_prompt', ?)").run(
    personId,
    `reflection:${personId}:${phrase}`,
    JSON.stringify({ note: phrase }),
  );
  db.prepare("INSERT INTO pending_confirmations (token, person_id, action, expires_at) VALUES (?, ?, 'forget', '2099-01-01T00:00:00.000Z')").run(
    `token-${phrase}`,
    personId,
  );
  if (otherId !== undefined) {
    db.prepare('INSERT INTO oneonone_requests (manager_person_id, member_person_id, suggested) VALUES (?, ?, ?)').run(otherId, personId, JSON.stringify([`about ${phrase}`]));
    db.prepare('INSERT INTO oneonone_requests (manager_person_id, member_person_id, suggested) VALUES (?, ?, ?)').run(personId, otherId, JSON.stringify([`by ${phrase}`]));
  }
  return { phrase, journalPhrase, messagePhrase, answerId };
}

/** Every (table, column) holding `needle` anywhere in the database, virtual tables' shadow tables included. */
export function findEverywhere(db: Db, needle: string): Array<{ table: string; column: string; count: number }> {
  const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string; sql: string | null }>;
  const hits: Array<{ table: string; column: string; count: number }> = [];
  for (const t of tables) {
    if (/^\s*CREATE\s+VIRTUAL/i.test(t.sql ?? '')) continue; // their shadow tables are scanned instead
    const columns = db.prepare('SELECT name FROM pragma_table_info(?)').all(t.name) as Array<{ name: string }>;
    for (const c of columns) {
      const q = `SELECT COUNT(*) AS n FROM "${t.name}" WHERE instr(CAST("${c.name}" AS TEXT), ?) > 0`;
      const { n } = db.prepare(q).get(needle) as { n: number };
      if (n > 0) hits.push({ table: t.name, column: c.name, count: n });
    }
  }
  return hits;
}
