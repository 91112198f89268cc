/**
 * Pseudonyms for the audit log: HMAC-SHA256 of a person's identifier with a random salt created
 * once per installation and kept in the database (`privacy_state.audit_salt`). Without the
 * database nobody can link a hash to a person; with it an operator can answer "was X erased?".
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Db } from '../storage/database';

const SALT_KEY = 'audit_salt';

/** The install salt, created on first use. */
export function installSalt(db: Db): string {
  const row = db.prepare('SELECT value FROM privacy_state WHERE key = ?').get(SALT_KEY) as { value: string } | undefined;
  if (row) return row.value;
  const salt = randomBytes(32).toString('hex');
  // OR IGNORE: two processes creating it at once keep the first one.
  db.prepare('INSERT OR IGNORE INTO privacy_state (key, value) VALUES (?, ?)').run(SALT_KEY, salt);
  return (db.prepare('SELECT value FROM privacy_state WHERE key = ?').get(SALT_KEY) as { value: string }).value;
}

/**
 * The pseudonym of a subject. `subject` is `employee:<employee id>` for members and
 * `<channel>:<external id>` for guests (their first channel identity).
 */
export function subjectHash(db: Db, subject: string): string {
  return createHmac('sha256', installSalt(db)).update(subject, 'utf8').digest('hex');
}
