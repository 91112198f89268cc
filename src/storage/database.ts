/**
 * The SQLite database: one file holds people, journals, the outbox and the document index.
 * Opened with WAL (readers never block the writer), foreign keys on (erasure cascades),
 * a busy timeout (two processes may share the file) and a bounded WAL.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { allMigrations, type Migration } from './migrations';

export type Db = Database.Database;

export class StorageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
  }
}

export interface OpenOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  readonly?: boolean;
  migrations?: readonly Migration[];
}

/**
 * Opens (creating if needed) the database at `file` and brings its schema up to date.
 * @throws StorageError with one clear line naming the path when it cannot be opened or written.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const resolved = file === ':memory:' ? file : path.resolve(file);
  if (resolved !== ':memory:') {
    try {
      fs.mkdirSync(path.dirname(resolved), { recursive: true });
      fs.accessSync(path.dirname(resolved), fs.constants.W_OK);
      if (fs.existsSync(resolved)) fs.accessSync(resolved, fs.constants.R_OK | fs.constants.W_OK);
    } catch (error) {
      throw new StorageError(`cannot open the database at ${resolved}: ${reason(error)}`, { cause: error });
    }
  }
  let db: Db;
  try {
    db = new Database(resolved, { readonly: options.readonly ?? false });
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    // Checkpoint every ~1000 pages and truncate the WAL back to 64 MiB after a checkpoint.
    db.pragma('wal_autocheckpoint = 1000');
    db.pragma('journal_size_limit = 67108864');
  } catch (error) {
    throw new StorageError(`cannot open the database at ${resolved}: ${reason(error)}`, { cause: error });
  }
  if (options.migrate !== false && !options.readonly) {
    try {
      migrate(db, options.migrations ?? allMigrations);
    } catch (error) {
      db.close();
      throw new StorageError(`cannot migrate the database at ${resolved}: ${reason(error)}`, { cause: error });
    }
  }
  return db;
}

/** Applies, in version order and each in its own transaction, the migrations not yet applied. */
export function migrate(db: Db, migrations: readonly Migration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = new Set(
    db.prepare('SELECT version FROM schema_migrations').all().map((row) => (row as { version: number }).version),
  );
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  const seen = new Set<number>();
  for (const m of sorted) {
    if (seen.has(m.version)) throw new Error(`two migrations share version ${m.version}`);
    seen.add(m.version);
  }
  const done: number[] = [];
  for (const m of sorted) {
    if (applied.has(m.version)) continue;
    // BEGIN IMMEDIATE: two processes starting together must not both apply the same migration.
    db.transaction(() => {
      const again = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(m.version);
      if (again) return;
      if (typeof m.up === 'string') db.exec(m.up);
      else m.up(db);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
      done.push(m.version);
    }).immediate();
  }
  return done;
}

/** Truncating checkpoint; called periodically so the WAL cannot grow without bound under constant reads. */
export function checkpoint(db: Db): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
}

/** True when the database answers a trivial query. */
export function isDatabaseUsable(db: Db): boolean {
  try {
    db.prepare('SELECT 1').get();
    return true;
  } catch {
    return false;
  }
}

function reason(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error) {
    const code = String((error as { code: unknown }).code);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'permission denied (choose a writable path with TSUMIKI_DB or --db)';
    if (code === 'ENOTDIR') return 'a part of the path is a file, not a folder';
  }
  return error instanceof Error ? error.message : String(error);
}
