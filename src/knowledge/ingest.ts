/**
 * One ingestion run over a data folder: find files, skip the unchanged ones by size and mtime
 * (then by content hash), parse and validate the rest, chunk them, and hand the changes to the
 * index in one transaction. Bad files and records are reported with path and reason.
 */
import { createHash } from 'node:crypto';
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { chunkMarkdown } from './chunking';
import { parseDocumentFile, SUPPORTED_EXTENSIONS, type ParsedDocument } from './documents';
import { parseConcepts, type ConceptRow } from './concepts';
import { parseGlossary } from './glossary';
import { embeddingText, type FileState, type IndexChanges, type PreparedDocument, type SqliteKnowledgeIndex } from './sqlite-index';
import { indexText } from './text';
import type { IngestProblem } from './types';

export interface IngestOptions {
  /** Files larger than this are refused (default 1 MiB). */
  maxFileBytes?: number;
  /** Chunk target size in characters. */
  targetChars?: number;
}

export interface IngestPlan {
  changes: IndexChanges;
  problems: IngestProblem[];
  glossary?: string[][];
  concepts?: ConceptRow[];
  counts: { added: number; changed: number; removed: number; unchanged: number };
  chunks: number;
}

/** Files the ingester does not treat as documents. */
const GLOSSARY_FILE = 'glossary.tsv';
const CONCEPTS_FILE = 'concepts.tsv';
const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Every file under `root` with its size and mtime, sorted by path. Synchronous on purpose: for
 * 10,000 files a promise per stat costs more than the stats themselves, and an unchanged
 * corpus must be checked in well under a second.
 */
function listFiles(root: string): Array<{ path: string; size: number; mtimeMs: number }> {
  const files: Array<{ path: string; size: number; mtimeMs: number }> = [];
  const walk = (dir: string) => {
    for (const entry of fsSync.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const relative = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(relative);
      else if (entry.isFile()) {
        const info = fsSync.statSync(path.join(root, relative));
        files.push({ path: relative, size: info.size, mtimeMs: Math.trunc(info.mtimeMs) });
      }
    }
  };
  walk('');
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Decodes UTF-8 or says why the bytes are not a text document. */
function decodeText(bytes: Buffer): { text?: string; problem?: string } {
  if (bytes.length === 0) return { problem: 'the file is empty' };
  if (bytes.subarray(0, 8000).includes(0)) return { problem: 'binary file (contains NUL bytes), not UTF-8 text' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { problem: 'not valid UTF-8 text' };
  }
  if (text.replace(/^\uFEFF/, '').trim() === '') return { problem: 'the file is empty (whitespace only)' };
  return { text };
}

/**
 * Words people use for each kind of document, indexed with the metadata: a posting rarely says
 * "公募" in its own text, yet "営業 公募" should find sales postings.
 */
const KIND_WORDS: Record<ParsedDocument['kind'], string> = {
  training: '研修 講座 training course',
  posting: '社内公募 公募 募集 posting opening position',
  shadowing: 'ジョブシャドウイング 職場体験 job shadowing',
  guide: 'ガイド 制度 guide policy',
};

/** Chunks a document and tokenises each chunk's fields for FTS. */
export function prepareDocument(doc: ParsedDocument, targetChars?: number): PreparedDocument {
  const meta = doc.metadata;
  const metaText = [KIND_WORDS[doc.kind], doc.skills.join(' '), meta.department, meta.location, meta.format, meta.level, meta.duration, meta.eligibility].filter(Boolean).join(' ');
  const skillsTokens = indexText(metaText);
  const titleTokens = indexText(doc.title);
  const chunks = chunkMarkdown(doc.body, { targetChars }).map((chunk) => {
    const text = embeddingText(doc.title, doc.skills, chunk.heading, chunk.text);
    return {
      seq: chunk.seq,
      heading: chunk.heading,
      text: chunk.text,
      sha256: sha256(text),
      fts: { title: titleTokens, skills: skillsTokens, heading: indexText(chunk.heading ?? ''), body: indexText(chunk.text) },
    };
  });
  const { body: _body, ...fields } = doc;
  return { ...fields, sha256: sha256(JSON.stringify({ fields, chunks: chunks.map((c) => [c.sha256, c.seq, c.heading]) })), chunks };
}

/**
 * Compares the folder with the index and prepares every change; reads only files whose size or
 * mtime moved. Never writes.
 */
export async function planIngest(index: SqliteKnowledgeIndex, root: string, options: IngestOptions = {}): Promise<IngestPlan> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const stat = await fs.stat(root).catch(() => undefined);
  if (!stat?.isDirectory()) throw new Error(`the data folder ${root} does not exist or is not a folder`);

  const known = index.fileStates();
  const owners = index.documentPaths();
  const files = listFiles(root);
  const present = new Set(files.map((f) => f.path));
  const plan: IngestPlan = {
    changes: { upserts: [], touched: [], removed: [] },
    problems: [],
    counts: { added: 0, changed: 0, removed: 0, unchanged: 0 },
    chunks: 0,
  };

  // Removed files free their ids first, so a document may move to another file in the same run.
  for (const p of known.keys()) if (!present.has(p)) plan.changes.removed.push(p);
  for (const p of plan.changes.removed) for (const [id, owner] of owners) if (owner === p) owners.delete(id);

  const pending: Array<{ state: FileState; documents: ParsedDocument[]; isNew: boolean }> = [];
  for (const { path: relative, size, mtimeMs } of files) {
    const absolute = path.join(root, relative);
    if (relative === GLOSSARY_FILE) {
      plan.glossary = parseGlossary(await fs.readFile(absolute, 'utf8'));
      continue;
    }
    if (relative === CONCEPTS_FILE) {
      plan.concepts = parseConcepts(await fs.readFile(absolute, 'utf8'));
      continue;
    }
    const ext = path.extname(relative).toLowerCase();
    const previous = known.get(relative);
    const state: FileState = { path: relative, size, mtimeMs, sha256: '', problems: [] };
    if (previous && previous.size === state.size && previous.mtimeMs === state.mtimeMs) {
      plan.counts.unchanged++;
      for (const reason of previous.problems) plan.problems.push({ path: relative, reason });
      continue;
    }
    if (!(SUPPORTED_EXTENSIONS as readonly string[]).includes(ext)) {
      state.problems.push(`unsupported file type "${ext || '(none)'}" (expected ${SUPPORTED_EXTENSIONS.join(', ')})`);
    } else if (size > maxBytes) {
      state.problems.push(`the file is ${size} bytes, over the limit of ${maxBytes} bytes`);
    }
    let documents: ParsedDocument[] = [];
    if (state.problems.length === 0) {
      const bytes = await fs.readFile(absolute);
      state.sha256 = sha256(bytes);
      if (previous && previous.sha256 === state.sha256) {
        // Same content, new mtime (a checkout, a touch): remember the new stat, re-process nothing.
        plan.counts.unchanged++;
        plan.changes.touched.push({ ...state, problems: previous.problems });
        for (const reason of previous.problems) plan.problems.push({ path: relative, reason });
        continue;
      }
      const decoded = decodeText(bytes);
      if (decoded.problem) state.problems.push(decoded.problem);
      else {
        const parsed = parseDocumentFile(relative, decoded.text!);
        documents = parsed.documents;
        state.problems.push(...parsed.problems);
      }
    }
    // Documents held by this file before this run may keep their ids.
    for (const [id, owner] of owners) if (owner === relative) owners.delete(id);
    pending.push({ state, documents, isNew: !previous });
  }

  // Duplicate ids: the first holder wins (an unchanged file, else the first path in sort order).
  for (const item of pending) {
    const accepted: ParsedDocument[] = [];
    for (const doc of item.documents) {
      const holder = owners.get(doc.id);
      if (holder !== undefined) {
        item.state.problems.push(`duplicate id ${doc.id} (already used by ${holder})`);
        continue;
      }
      owners.set(doc.id, item.state.path);
      accepted.push(doc);
    }
    const prepared = accepted.map((doc) => prepareDocument(doc, options.targetChars));
    plan.chunks += prepared.reduce((n, d) => n + d.chunks.length, 0);
    plan.changes.upserts.push({ file: item.state, documents: prepared });
    if (item.isNew) plan.counts.added++;
    else plan.counts.changed++;
    for (const reason of item.state.problems) plan.problems.push({ path: item.state.path, reason });
  }
  plan.counts.removed = plan.changes.removed.length;
  return plan;
}
