/**
 * Privacy tables (migration versions 700–799).
 *
 * `privacy_state` holds the per-install salt of the pseudonymous audit hashes. It is not
 * personal data: it lets an operator check "was employee X erased?" by recomputing the hash
 * with `subjectHash`, while the audit log alone names nobody.
 */
import type { Migration } from '../storage/migrations';

export const privacyMigrations: Migration[] = [
  {
    version: 700,
    name: 'privacy: install salt for pseudonymous audit hashes',
    up: `
      CREATE TABLE privacy_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      CREATE INDEX audit_log_subject ON audit_log(subject_hash);
    `,
  },
];
