/**
 * Knowledge-base tables (migration versions 100–199).
 *
 * Documents are company content, not personal data, so no table here references people.
 * The vector table (sqlite-vec `vec0`) is created at run time by `SqliteKnowledgeIndex`
 * because its dimension depends on the configured embedding model.
 */
import type { Migration } from '../storage/migrations';

export const knowledgeMigrations: Migration[] = [
  {
    version: 100,
    name: 'knowledge base: files, documents, chunks, full-text index',
    up: `
      -- One row per file seen under the data folder, good or bad, so unchanged files are skipped
      -- by size and mtime and a malformed file is reported again without being re-read.
      CREATE TABLE kb_files (
        path TEXT PRIMARY KEY,                 -- relative to the data folder, forward slashes
        size INTEGER NOT NULL,
        mtime_ms INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        problems TEXT NOT NULL DEFAULT '[]'    -- JSON array of reasons (a batch may be partly bad)
      );

      CREATE TABLE kb_documents (
        id TEXT PRIMARY KEY,                   -- front-matter id
        path TEXT NOT NULL REFERENCES kb_files(path) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('training','posting','shadowing','guide')),
        title TEXT NOT NULL,
        lang TEXT NOT NULL CHECK (lang IN ('ja','en')),
        url TEXT NOT NULL,
        skills TEXT NOT NULL DEFAULT '[]',     -- JSON array
        deadline TEXT,                         -- ISO date; past = closed
        metadata TEXT NOT NULL DEFAULT '{}',   -- department, location, eligibility, format, hours, level, duration
        sha256 TEXT NOT NULL                   -- of the document's normalised content
      );
      CREATE INDEX kb_documents_path ON kb_documents(path);
      CREATE INDEX kb_documents_kind ON kb_documents(kind, lang);

      CREATE TABLE kb_chunks (
        id INTEGER PRIMARY KEY,                -- also the rowid in kb_fts and kb_vectors
        document_id TEXT NOT NULL REFERENCES kb_documents(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        heading TEXT,
        text TEXT NOT NULL,
        sha256 TEXT NOT NULL,                  -- of the text that is embedded: unchanged chunks keep their vector
        embedded INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX kb_chunks_document ON kb_chunks(document_id, seq);
      CREATE INDEX kb_chunks_unembedded ON kb_chunks(embedded) WHERE embedded = 0;

      -- Contentless: the text lives in kb_chunks; this holds only the segmented tokens.
      -- Columns are weighted in bm25(): title, skills and metadata, heading, body.
      CREATE VIRTUAL TABLE kb_fts USING fts5(
        title, skills, heading, body,
        content = '', contentless_delete = 1,
        tokenize = 'porter unicode61 remove_diacritics 2'
      );

      CREATE TABLE kb_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
];
