/**
 * The document index in the shared SQLite file: documents and chunks in tables, tokens in an
 * FTS5 table (BM25), vectors in a sqlite-vec `vec0` table (KNN). All writes of one ingestion
 * run happen in one transaction, so a failed run leaves the previous index as it was.
 */
import type { Logger } from 'pino';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../storage/database';
import type { DocumentKind, Locale } from '../core/types';
import type { DocumentMetadata, ParsedDocument } from './documents';
import type { KnowledgeDocument } from './types';

/** A chunk ready to be written: its display text and its tokenised fields. */
export interface PreparedChunk {
  seq: number;
  heading: string | null;
  text: string;
  /** Hash of the text that is embedded (title, skills, heading, text). */
  sha256: string;
  fts: { title: string; skills: string; heading: string; body: string };
}

/** A parsed document, chunked and hashed, ready to be written. */
export interface PreparedDocument extends Omit<ParsedDocument, 'body'> {
  sha256: string;
  chunks: PreparedChunk[];
}

export interface FileState {
  path: string;
  size: number;
  mtimeMs: number;
  sha256: string;
  problems: string[];
}

/** What one ingestion run changes. */
export interface IndexChanges {
  /** Files (new or changed) with their documents, replacing what the index held for them. */
  upserts: Array<{ file: FileState; documents: PreparedDocument[] }>;
  /** Files whose content is unchanged but whose size or mtime moved. */
  touched: FileState[];
  removed: string[];
}

export interface ChunkFilter {
  kinds?: DocumentKind[];
  lang?: Locale;
  /** ISO date: documents with a deadline before it are left out. */
  openOn?: string;
}

export interface RankedChunk {
  chunkId: number;
  score: number;
}

export interface StoredChunk {
  id: number;
  documentId: string;
  seq: number;
  heading: string | null;
  text: string;
}

const META_EMBEDDING = 'embedding_model';
const META_GLOSSARY = 'glossary';
const META_CONCEPTS = 'concepts';

/**
 * Above this many ineligible chunks (e.g. a filter on one kind), filters are applied in SQL with
 * a join; below it, the plain BM25 query over-fetches by that many rows and filters in memory,
 * which spares two B-tree lookups for every matching chunk.
 */
const MAX_EXCLUDED_IN_MEMORY = 2000;
/** Cached document frequencies are dropped wholesale past this many terms (bounded memory). */
const MAX_CACHED_FREQUENCIES = 50_000;
const LATIN_WORD = /^[a-z0-9]/;

/** BM25 column weights: title, skills (and metadata), heading, body. */
export const BM25_WEIGHTS = [4, 3, 1.5, 1] as const;

interface DocumentRow {
  id: string;
  path: string;
  kind: DocumentKind;
  title: string;
  lang: Locale;
  url: string;
  skills: string;
  deadline: string | null;
  metadata: string;
  sha256: string;
}

/** The SQLite side of the knowledge base. */
export class SqliteKnowledgeIndex {
  /** True when sqlite-vec loaded into this connection. */
  readonly vectorsAvailable: boolean;
  private documents?: Map<string, KnowledgeDocument>;
  private vectorDimensions: number | null = null;
  private vocabularyReady = false;
  private chunkTotal?: number;
  private readonly statements = new Map<string, Statement>();
  private readonly frequencies = new Map<string, number>();
  private readonly exclusions = new Map<string, Set<number> | null>();

  constructor(
    readonly db: Db,
    private readonly logger: Logger,
  ) {
    let loaded = false;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- sqlite-vec ships CommonJS only
      (require('sqlite-vec') as { load(db: Db): void }).load(db);
      loaded = true;
    } catch (error) {
      logger.warn({ err: error }, 'sqlite-vec could not be loaded: vector search is off, full-text search still works');
    }
    this.vectorsAvailable = loaded;
    const meta = this.embeddingModel();
    if (meta && this.vectorTableExists()) this.vectorDimensions = meta.dimensions;
  }

  /** A prepared statement, compiled once per connection (preparing costs more than a small query). */
  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  // ---- metadata -------------------------------------------------------------------------

  private getMeta(key: string): string | undefined {
    return (this.db.prepare('SELECT value FROM kb_meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  private setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO kb_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** The embedding model whose vectors the index holds. */
  embeddingModel(): { name: string; dimensions: number } | undefined {
    const value = this.getMeta(META_EMBEDDING);
    return value ? (JSON.parse(value) as { name: string; dimensions: number }) : undefined;
  }

  glossary(): string[][] {
    const value = this.getMeta(META_GLOSSARY);
    return value ? (JSON.parse(value) as string[][]) : [];
  }

  /** The worry → experience concept map (data/concepts.tsv) of the last ingestion. */
  concepts(): Array<{ cues: string[]; experiences: string[] }> {
    const value = this.getMeta(META_CONCEPTS);
    return value ? (JSON.parse(value) as Array<{ cues: string[]; experiences: string[] }>) : [];
  }

  // ---- reading --------------------------------------------------------------------------

  fileStates(): Map<string, FileState> {
    const rows = this.db.prepare('SELECT path, size, mtime_ms, sha256, problems FROM kb_files').all() as Array<{
      path: string;
      size: number;
      mtime_ms: number;
      sha256: string;
      problems: string;
    }>;
    return new Map(rows.map((r) => [r.path, { path: r.path, size: r.size, mtimeMs: r.mtime_ms, sha256: r.sha256, problems: JSON.parse(r.problems) as string[] }]));
  }

  /** Document id → the file that holds it. */
  documentPaths(): Map<string, string> {
    const rows = this.db.prepare('SELECT id, path FROM kb_documents').all() as Array<{ id: string; path: string }>;
    return new Map(rows.map((r) => [r.id, r.path]));
  }

  /** Every document, cached until the next ingestion. */
  allDocuments(): Map<string, KnowledgeDocument> {
    if (!this.documents) {
      const rows = this.db.prepare('SELECT id, path, kind, title, lang, url, skills, deadline, metadata, sha256 FROM kb_documents').all() as DocumentRow[];
      this.documents = new Map(rows.map((row) => [row.id, toDocument(row)]));
    }
    return this.documents;
  }

  getDocument(id: string): KnowledgeDocument | undefined {
    return this.allDocuments().get(id);
  }

  chunks(ids: number[]): Map<number, StoredChunk> {
    const result = new Map<number, StoredChunk>();
    const select = this.statement('SELECT id, document_id, seq, heading, text FROM kb_chunks WHERE id = ?');
    for (const id of ids) {
      const row = select.get(id) as { id: number; document_id: string; seq: number; heading: string | null; text: string } | undefined;
      if (row) result.set(id, { id: row.id, documentId: row.document_id, seq: row.seq, heading: row.heading, text: row.text });
    }
    return result;
  }

  /** Chunk id → document id for a list of chunks (one indexed lookup each). */
  documentOfChunks(ids: number[]): Map<number, string> {
    const select = this.statement('SELECT document_id FROM kb_chunks WHERE id = ?').pluck();
    const result = new Map<number, string>();
    for (const id of ids) {
      const documentId = select.get(id) as string | undefined;
      if (documentId !== undefined) result.set(id, documentId);
    }
    return result;
  }

  stats(): { documents: number; chunks: number; vectors: number } {
    const count = (sql: string) => (this.db.prepare(sql).pluck().get() as number) ?? 0;
    return {
      documents: count('SELECT count(*) FROM kb_documents'),
      chunks: count('SELECT count(*) FROM kb_chunks'),
      vectors: count('SELECT count(*) FROM kb_chunks WHERE embedded = 1'),
    };
  }

  // ---- full-text ------------------------------------------------------------------------

  /**
   * Chunks containing an indexed term (FTS5 vocabulary, an index lookup); undefined when the
   * term is not in the index as given (e.g. an English word before Porter stemming).
   */
  documentFrequency(term: string): number | undefined {
    if (!this.vocabularyReady) {
      this.db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.kb_fts_vocab USING fts5vocab(main, 'kb_fts', 'row')");
      this.vocabularyReady = true;
    }
    return (this.statement('SELECT doc FROM temp.kb_fts_vocab WHERE term = ?').pluck().get(term) as number | undefined) ?? undefined;
  }

  /**
   * Chunks matching a phrase of index tokens, cached until the next ingestion. Japanese tokens
   * are looked up in the FTS5 vocabulary as they are; English words are stored Porter-stemmed,
   * so those are counted with a MATCH once (the vocabulary lookup would miss them).
   */
  phraseFrequency(tokens: string[]): number {
    const key = tokens.join(' ');
    const cached = this.frequencies.get(key);
    if (cached !== undefined) return cached;
    let frequency: number;
    if (tokens.length === 1 && !LATIN_WORD.test(key)) frequency = this.documentFrequency(key) ?? 0;
    else frequency = this.statement('SELECT count(*) FROM kb_fts WHERE kb_fts MATCH ?').pluck().get(`"${key.replace(/"/g, '""')}"`) as number;
    if (this.frequencies.size >= MAX_CACHED_FREQUENCIES) this.frequencies.clear();
    this.frequencies.set(key, frequency);
    return frequency;
  }

  /** Number of chunks (cached until the next ingestion). */
  chunkCount(): number {
    this.chunkTotal ??= this.db.prepare('SELECT count(*) FROM kb_chunks').pluck().get() as number;
    return this.chunkTotal;
  }

  /**
   * BM25-ranked chunks for an FTS5 MATCH expression; the filter is applied in SQL so the limit
   * counts only eligible chunks.
   */
  lexical(match: string, limit: number, filter: ChunkFilter = {}): RankedChunk[] {
    if (!match) return [];
    const excluded = this.excludedChunks(filter);
    if (excluded) {
      const rows = this.statement(`SELECT rowid AS id, bm25(kb_fts, ${BM25_WEIGHTS.join(', ')}) AS score FROM kb_fts WHERE kb_fts MATCH ? ORDER BY score LIMIT ?`).all(
        match,
        limit + excluded.size,
      ) as Array<{ id: number; score: number }>;
      const eligible: RankedChunk[] = [];
      for (const r of rows) {
        if (excluded.has(r.id)) continue;
        eligible.push({ chunkId: r.id, score: -r.score });
        if (eligible.length >= limit) break;
      }
      return eligible;
    }
    const conditions: string[] = [];
    const params: unknown[] = [match];
    if (filter.kinds?.length) {
      conditions.push(`d.kind IN (${filter.kinds.map(() => '?').join(',')})`);
      params.push(...filter.kinds);
    }
    if (filter.lang) {
      conditions.push('d.lang = ?');
      params.push(filter.lang);
    }
    if (filter.openOn) {
      conditions.push('(d.deadline IS NULL OR d.deadline >= ?)');
      params.push(filter.openOn);
    }
    params.push(limit);
    const where = conditions.length ? `AND ${conditions.join(' AND ')}` : '';
    const sql = conditions.length
      ? `SELECT f.rowid AS id, bm25(kb_fts, ${BM25_WEIGHTS.join(', ')}) AS score
           FROM kb_fts f JOIN kb_chunks c ON c.id = f.rowid JOIN kb_documents d ON d.id = c.document_id
          WHERE kb_fts MATCH ? ${where} ORDER BY score LIMIT ?`
      : `SELECT rowid AS id, bm25(kb_fts, ${BM25_WEIGHTS.join(', ')}) AS score FROM kb_fts WHERE kb_fts MATCH ? ORDER BY score LIMIT ?`;
    const rows = this.statement(sql).all(...params) as Array<{ id: number; score: number }>;
    // bm25() is lower-is-better; flip it so every list reads higher-is-better.
    return rows.map((r) => ({ chunkId: r.id, score: -r.score }));
  }

  /**
   * The chunks a filter leaves out (closed postings, other kinds or languages), cached per
   * filter until the next ingestion; null when there are too many to filter in memory.
   */
  excludedChunks(filter: ChunkFilter): Set<number> | null {
    const key = JSON.stringify([filter.kinds ?? null, filter.lang ?? null, filter.openOn ?? null]);
    if (this.exclusions.has(key)) return this.exclusions.get(key)!;
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (filter.kinds?.length) {
      conditions.push(`d.kind NOT IN (${filter.kinds.map(() => '?').join(',')})`);
      params.push(...filter.kinds);
    }
    if (filter.lang) {
      conditions.push('d.lang <> ?');
      params.push(filter.lang);
    }
    if (filter.openOn) {
      conditions.push('(d.deadline IS NOT NULL AND d.deadline < ?)');
      params.push(filter.openOn);
    }
    let excluded: Set<number> | null = new Set();
    if (conditions.length) {
      const ids = this.db
        .prepare(`SELECT c.id FROM kb_documents d JOIN kb_chunks c ON c.document_id = d.id WHERE ${conditions.join(' OR ')} LIMIT ?`)
        .pluck()
        .all(...params, MAX_EXCLUDED_IN_MEMORY + 1) as number[];
      excluded = ids.length > MAX_EXCLUDED_IN_MEMORY ? null : new Set(ids);
    }
    // Filters are few (kinds × language × today), but "today" changes: keep the map small.
    if (this.exclusions.size > 64) this.exclusions.clear();
    this.exclusions.set(key, excluded);
    return excluded;
  }

  // ---- vectors --------------------------------------------------------------------------

  private vectorTableExists(): boolean {
    return this.db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'kb_vectors'").get() !== undefined;
  }

  /**
   * Makes the vector tables fit `model`: created on first use; dropped and rebuilt (every chunk
   * marked for re-embedding) when the model or its dimension changes.
   *
   * Two tables, because a brute-force float KNN over 1536 dimensions costs ~2 ms per 1,000
   * chunks: `kb_vectors` (vec0) holds 1-bit quantised vectors for a fast Hamming KNN over
   * everything, `kb_vector_floats` the full vectors that re-rank the oversampled candidates
   * exactly (the binary-quantisation-with-rescoring pattern of sqlite-vec).
   */
  prepareVectors(model: { name: string; dimensions: number }): void {
    if (!this.vectorsAvailable) return;
    const current = this.embeddingModel();
    if (current && current.name === model.name && current.dimensions === model.dimensions && this.vectorTableExists()) return;
    if (model.dimensions % 8 !== 0) throw new Error(`embedding dimension ${model.dimensions} is not a multiple of 8`);
    this.db.transaction(() => {
      this.db.exec('DROP TABLE IF EXISTS kb_vectors; DROP TABLE IF EXISTS kb_vector_floats;');
      this.db.exec(`CREATE VIRTUAL TABLE kb_vectors USING vec0(embedding bit[${model.dimensions}])`);
      this.db.exec('CREATE TABLE kb_vector_floats (id INTEGER PRIMARY KEY, embedding BLOB NOT NULL)');
      this.db.exec('UPDATE kb_chunks SET embedded = 0');
      this.setMeta(META_EMBEDDING, JSON.stringify(model));
    })();
    this.vectorDimensions = model.dimensions;
  }

  /** Chunks without a vector: the text to embed is title, skills, heading and text. */
  unembeddedChunks(limit: number): Array<{ id: number; text: string }> {
    const rows = this.db
      .prepare(
        `SELECT c.id, c.heading, c.text, d.title, d.skills FROM kb_chunks c JOIN kb_documents d ON d.id = c.document_id
          WHERE c.embedded = 0 ORDER BY c.id LIMIT ?`,
      )
      .all(limit) as Array<{ id: number; heading: string | null; text: string; title: string; skills: string }>;
    return rows.map((r) => ({ id: r.id, text: embeddingText(r.title, JSON.parse(r.skills) as string[], r.heading, r.text) }));
  }

  /** Stores vectors for chunks, in one transaction. */
  writeVectors(vectors: Array<{ id: number; embedding: number[] | Float32Array }>): void {
    if (!this.vectorDimensions) throw new Error('the vector table is not prepared');
    const dimensions = this.vectorDimensions;
    const del = this.db.prepare('DELETE FROM kb_vectors WHERE rowid = ?');
    const insert = this.db.prepare('INSERT INTO kb_vectors (rowid, embedding) VALUES (?, vec_quantize_binary(?))');
    const insertFloat = this.db.prepare('INSERT OR REPLACE INTO kb_vector_floats (id, embedding) VALUES (?, ?)');
    const mark = this.db.prepare('UPDATE kb_chunks SET embedded = 1 WHERE id = ?');
    this.db.transaction(() => {
      for (const { id, embedding } of vectors) {
        if (embedding.length !== dimensions) throw new Error(`an embedding has ${embedding.length} dimensions, expected ${dimensions}`);
        const blob = Buffer.from(Float32Array.from(embedding).buffer);
        // vec0 wants integer rowids as BigInt through better-sqlite3.
        del.run(BigInt(id));
        insert.run(BigInt(id), blob);
        insertFloat.run(id, blob);
        mark.run(id);
      }
    })();
  }

  /**
   * The `k` nearest chunks by cosine similarity: a Hamming KNN over the binary vectors
   * (sqlite-vec, `MATCH … AND k = ?`) for `oversample × k` candidates, re-ranked exactly.
   */
  vector(embedding: number[] | Float32Array, k: number, oversample = 2): RankedChunk[] {
    if (!this.vectorDimensions || !this.vectorsAvailable) return [];
    if (embedding.length !== this.vectorDimensions) return [];
    const blob = Buffer.from(Float32Array.from(embedding).buffer);
    const candidates = this
      .statement('SELECT rowid AS id FROM kb_vectors WHERE embedding MATCH vec_quantize_binary(?) AND k = ?')
      .pluck()
      .all(blob, Math.max(k * oversample, 100)) as Array<number | bigint>;
    if (candidates.length === 0) return [];
    const rows = this
      .statement(
        `SELECT id, vec_distance_cosine(embedding, ?) AS distance FROM kb_vector_floats
          WHERE id IN (SELECT value FROM json_each(?)) ORDER BY distance LIMIT ?`,
      )
      .all(blob, JSON.stringify(candidates.map(Number)), k) as Array<{ id: number; distance: number }>;
    return rows.map((r) => ({ chunkId: r.id, score: 1 - r.distance }));
  }

  hasVectors(): boolean {
    return this.vectorDimensions !== null;
  }

  // ---- writing --------------------------------------------------------------------------

  /** Applies one run's changes in a single transaction (all or nothing). */
  apply(changes: IndexChanges, glossary?: string[][], concepts?: Array<{ cues: string[]; experiences: string[] }>): void {
    const db = this.db;
    const deleteFts = db.prepare('DELETE FROM kb_fts WHERE rowid = ?');
    const vectors = this.vectorTableExists() && this.vectorsAvailable;
    const deleteVector = vectors ? db.prepare('DELETE FROM kb_vectors WHERE rowid = ?') : undefined;
    const deleteFloat = vectors ? db.prepare('DELETE FROM kb_vector_floats WHERE id = ?') : undefined;
    const chunksOfDocument = db.prepare('SELECT id, sha256, embedded FROM kb_chunks WHERE document_id = ?');
    const documentsOfFile = db.prepare('SELECT id, sha256 FROM kb_documents WHERE path = ?');
    const deleteDocument = db.prepare('DELETE FROM kb_documents WHERE id = ?');
    const deleteFile = db.prepare('DELETE FROM kb_files WHERE path = ?');
    const upsertFile = db.prepare(
      `INSERT INTO kb_files (path, size, mtime_ms, sha256, problems) VALUES (@path, @size, @mtimeMs, @sha256, @problems)
       ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, sha256 = excluded.sha256, problems = excluded.problems`,
    );
    const upsertDocument = db.prepare(
      `INSERT INTO kb_documents (id, path, kind, title, lang, url, skills, deadline, metadata, sha256)
       VALUES (@id, @path, @kind, @title, @lang, @url, @skills, @deadline, @metadata, @sha256)
       ON CONFLICT(id) DO UPDATE SET path = excluded.path, kind = excluded.kind, title = excluded.title, lang = excluded.lang,
         url = excluded.url, skills = excluded.skills, deadline = excluded.deadline, metadata = excluded.metadata, sha256 = excluded.sha256`,
    );
    const moveDocument = db.prepare('UPDATE kb_documents SET path = ? WHERE id = ?');
    const insertChunk = db.prepare('INSERT INTO kb_chunks (document_id, seq, heading, text, sha256, embedded) VALUES (?, ?, ?, ?, ?, 0)');
    const updateChunk = db.prepare('UPDATE kb_chunks SET seq = ?, heading = ?, text = ? WHERE id = ?');
    const deleteChunk = db.prepare('DELETE FROM kb_chunks WHERE id = ?');
    const insertFts = db.prepare('INSERT INTO kb_fts (rowid, title, skills, heading, body) VALUES (?, ?, ?, ?, ?)');

    const dropChunk = (id: number) => {
      deleteFts.run(id);
      deleteVector?.run(BigInt(id));
      deleteFloat?.run(id);
      deleteChunk.run(id);
    };
    const dropDocument = (id: string) => {
      for (const chunk of chunksOfDocument.all(id) as Array<{ id: number }>) dropChunk(chunk.id);
      deleteDocument.run(id);
    };

    db.transaction(() => {
      for (const path of changes.removed) {
        for (const doc of documentsOfFile.all(path) as Array<{ id: string }>) dropDocument(doc.id);
        deleteFile.run(path);
      }
      for (const file of changes.touched) upsertFile.run({ ...file, problems: JSON.stringify(file.problems) });
      for (const { file, documents } of changes.upserts) {
        upsertFile.run({ ...file, problems: JSON.stringify(file.problems) });
        const keep = new Set(documents.map((d) => d.id));
        for (const old of documentsOfFile.all(file.path) as Array<{ id: string }>) if (!keep.has(old.id)) dropDocument(old.id);
        for (const doc of documents) {
          const existing = db.prepare('SELECT path, sha256 FROM kb_documents WHERE id = ?').get(doc.id) as { path: string; sha256: string } | undefined;
          if (existing && existing.sha256 === doc.sha256) {
            if (existing.path !== file.path) moveDocument.run(file.path, doc.id);
            continue;
          }
          upsertDocument.run({
            id: doc.id,
            path: file.path,
            kind: doc.kind,
            title: doc.title,
            lang: doc.lang,
            url: doc.url,
            skills: JSON.stringify(doc.skills),
            deadline: doc.deadline,
            metadata: JSON.stringify(doc.metadata),
            sha256: doc.sha256,
          });
          // Unchanged chunks keep their row, their tokens and their vector; the rest are replaced.
          const reusable = new Map<string, number[]>();
          for (const old of chunksOfDocument.all(doc.id) as Array<{ id: number; sha256: string }>) {
            const ids = reusable.get(old.sha256) ?? [];
            ids.push(old.id);
            reusable.set(old.sha256, ids);
          }
          for (const chunk of doc.chunks) {
            const reuse = reusable.get(chunk.sha256)?.shift();
            if (reuse !== undefined) {
              updateChunk.run(chunk.seq, chunk.heading, chunk.text, reuse);
              continue;
            }
            const id = Number(insertChunk.run(doc.id, chunk.seq, chunk.heading, chunk.text, chunk.sha256).lastInsertRowid);
            insertFts.run(id, chunk.fts.title, chunk.fts.skills, chunk.fts.heading, chunk.fts.body);
          }
          for (const ids of reusable.values()) for (const id of ids) dropChunk(id);
        }
      }
      if (glossary) this.setMeta(META_GLOSSARY, JSON.stringify(glossary));
      if (concepts) this.setMeta(META_CONCEPTS, JSON.stringify(concepts));
    })();
    this.documents = undefined;
    this.chunkTotal = undefined;
    this.frequencies.clear();
    this.exclusions.clear();
  }
}

/** The text that is embedded for a chunk (and hashed to decide whether it changed). */
export function embeddingText(title: string, skills: string[], heading: string | null, text: string): string {
  return [title, skills.join(', '), heading && !text.startsWith('#') ? `## ${heading}` : '', text].filter(Boolean).join('\n');
}

function toDocument(row: DocumentRow): KnowledgeDocument {
  const metadata = JSON.parse(row.metadata) as DocumentMetadata;
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    lang: row.lang,
    url: row.url,
    skills: JSON.parse(row.skills) as string[],
    deadline: row.deadline,
    department: metadata.department ?? null,
    location: metadata.location ?? null,
    eligibility: metadata.eligibility ?? null,
    format: metadata.format ?? null,
    hours: metadata.hours ?? null,
    level: metadata.level ?? null,
    duration: metadata.duration ?? null,
    path: row.path,
  };
}
