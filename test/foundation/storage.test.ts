import fs from 'node:fs';
import path from 'node:path';
import { migrate, openDatabase, StorageError } from '../../src/storage/database';
import { allMigrations } from '../../src/storage/migrations';
import { tempDir } from '../helpers/test-core';

describe('storage', () => {
  const dir = tempDir();
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('opens with WAL, foreign keys and a busy timeout, and applies every migration once', () => {
    const file = path.join(dir, 'a', 'nested', 'tsumiki.db');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('journal_size_limit', { simple: true })).toBe(67108864);
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all().map((r) => (r as { version: number }).version);
    expect(versions).toEqual([...new Set(allMigrations.map((m) => m.version))].sort((a, b) => a - b));
    expect(migrate(db, allMigrations)).toEqual([]);
    db.close();
    // Re-opening applies nothing new and keeps the data.
    const again = openDatabase(file);
    expect(again.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'people'").get()).toEqual({ n: 1 });
    again.close();
  });

  it('applies new migrations in version order, each in its own transaction', () => {
    const db = openDatabase(':memory:', { migrations: [] });
    const applied = migrate(db, [
      { version: 2, name: 'second', up: 'CREATE TABLE b (x INTEGER)' },
      { version: 1, name: 'first', up: 'CREATE TABLE a (x INTEGER)' },
    ]);
    expect(applied).toEqual([1, 2]);
    expect(() => migrate(db, [{ version: 3, name: 'broken', up: 'CREATE TABLE c (x INTEGER); SELECT nonsense FROM nowhere;' }])).toThrow();
    // The failed migration left nothing behind, and is not recorded.
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'c'").get()).toBeUndefined();
    expect(db.prepare('SELECT version FROM schema_migrations WHERE version = 3').get()).toBeUndefined();
    expect(() => migrate(db, [{ version: 4, name: 'x', up: '' }, { version: 4, name: 'y', up: '' }])).toThrow(/share version 4/);
  });

  it('erases everything about a person when the person row goes (ON DELETE CASCADE)', () => {
    const db = openDatabase(':memory:');
    const personId = Number(db.prepare("INSERT INTO people (employee_id, name) VALUES ('E1', 'A')").run().lastInsertRowid);
    db.prepare("INSERT INTO identities (person_id, channel, external_id) VALUES (?, 'slack', 'U1')").run(personId);
    db.prepare("INSERT INTO journal_entries (person_id, lesson) VALUES (?, 'x')").run(personId);
    db.prepare("INSERT INTO outbox (person_id, dedupe_key, kind) VALUES (?, 'k', 'reflection_prompt')").run(personId);
    db.prepare('DELETE FROM people WHERE id = ?').run(personId);
    for (const table of ['identities', 'journal_entries', 'outbox']) {
      expect(db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
    }
  });

  it('names the path in one clear line when the database cannot be written', () => {
    const blocker = path.join(dir, 'not-a-folder');
    fs.writeFileSync(blocker, 'x');
    expect(() => openDatabase(path.join(blocker, 'tsumiki.db'))).toThrow(StorageError);
    try {
      openDatabase(path.join(blocker, 'tsumiki.db'));
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain(path.join(blocker, 'tsumiki.db'));
      expect(message.split('\n')).toHaveLength(1);
    }
  });
});
