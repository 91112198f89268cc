/** Builds a knowledge base over a temporary SQLite file and a temporary data folder. */
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { createKnowledgeBase, type KnowledgeBaseOptions, type SqliteKnowledgeBase } from '../../src/knowledge';
import { openDatabase, type Db } from '../../src/storage/database';
import os from 'node:os';
import { loadConfig } from '../../src/config/config';

/** A fresh temporary folder. */
export function tempDir(prefix = 'tsumiki-kb-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface KbFixture {
  kb: SqliteKnowledgeBase;
  db: Db;
  dir: string;
  dataDir: string;
  write(relative: string, content: string | Buffer): void;
  remove(relative: string): void;
  close(): void;
}

export function md(fields: Record<string, unknown>, body = '## 概要\n本文です。'): string {
  const lines = Object.entries(fields).map(([k, v]) => `${k}: ${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`);
  return `---\n${lines.join('\n')}\n---\n${body}\n`;
}

export function training(id: string, title: string, body: string, extra: Record<string, unknown> = {}): string {
  return md({ id, kind: 'training', title, lang: 'ja', url: `https://intra.example.com/training/${id}`, skills: [], format: 'online', hours: 3, level: '入門', ...extra }, body);
}

export function makeKb(options: KnowledgeBaseOptions = {}): KbFixture {
  const dir = tempDir('tsumiki-kb-');
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir);
  const db = openDatabase(path.join(dir, 'kb.db'));
  const kb = createKnowledgeBase(db, loadConfig({ NODE_ENV: 'test', TSUMIKI_DB: path.join(dir, 'kb.db') }), pino({ level: 'silent' }), { embedding: null, ...options });
  let tick = 0;
  return {
    kb,
    db,
    dir,
    dataDir,
    write(relative, content) {
      const file = path.join(dataDir, relative);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
      // Distinct mtimes even within one millisecond, as an editor saving twice would produce.
      const t = new Date(Date.now() + ++tick * 1000);
      fs.utimesSync(file, t, t);
    },
    remove(relative) {
      fs.rmSync(path.join(dataDir, relative));
    },
    close() {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
