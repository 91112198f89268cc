/**
 * The knowledge-base port: what consultation, 1on1 and reflections need from the company's documents.
 * Implemented over SQLite (FTS5 + sqlite-vec) in this folder.
 */
import type { BaseRetriever } from '@langchain/core/retrievers';
import type { DocumentKind, Locale } from '../core/types';

export interface KnowledgeDocument {
  id: string;
  kind: DocumentKind;
  title: string;
  lang: Locale;
  url: string;
  skills: string[];
  /** Postings (and some programmes): ISO date; past = closed. */
  deadline?: string | null;
  department?: string | null;
  location?: string | null;
  eligibility?: string | null;
  format?: string | null;
  hours?: number | null;
  level?: string | null;
  duration?: string | null;
  /** The source file, relative to the data folder. */
  path: string;
}

export interface SearchHit {
  document: KnowledgeDocument;
  chunkId: string;
  /** The chunk's text (a heading-bounded passage). */
  text: string;
  /** Fused score: higher is better; comparable only within one result list. */
  score: number;
}

export interface SearchOptions {
  k?: number;
  kinds?: DocumentKind[];
  lang?: Locale;
  /** Closed postings (deadline passed) are left out unless this is true. */
  includeClosed?: boolean;
  /** "Today" for deciding what is closed. */
  now?: Date;
}

export interface IngestProblem {
  path: string;
  reason: string;
}

export interface IngestReport {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  chunks: number;
  problems: IngestProblem[];
  durationMs: number;
}

export interface KnowledgeBase {
  /** Ranked results, at most one or two chunks per document among the top. */
  search(query: string, options?: SearchOptions): Promise<SearchHit[]>;
  /** The same search as a LangChain retriever. */
  asRetriever(options?: SearchOptions): BaseRetriever;
  getDocument(id: string): KnowledgeDocument | undefined;
  /** Brings the index of `dir` up to date: added, changed and removed files, in one transaction. */
  ingest(dir: string): Promise<IngestReport>;
  isUsable(): boolean;
  stats(): { documents: number; chunks: number; vectors: number };
}
