/**
 * The knowledge base over the shared database: incremental ingestion of `data/`, full-text
 * search for Japanese and English, vectors when an embedding model is configured, and hybrid
 * retrieval behind the `KnowledgeBase` port.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { Db } from '../storage/database';
import { createEmbeddingModel, type EmbeddingModel } from './embeddings';
import { planIngest, type IngestOptions } from './ingest';
import { HybridSearch, KnowledgeRetriever, type RetrievalMode, type RetrievalTuning } from './retriever';
import { SqliteKnowledgeIndex } from './sqlite-index';
import type { IngestProblem, IngestReport, KnowledgeBase, SearchHit, SearchOptions } from './types';

export type { KnowledgeBase, SearchHit, SearchOptions, IngestReport } from './types';

export interface KnowledgeBaseOptions extends IngestOptions {
  /** An embedder to use instead of the configured one (tests inject a deterministic fake); null = none. */
  embedding?: EmbeddingModel | null;
  clock?: () => Date;
  tuning?: RetrievalTuning;
  /** Chunks embedded per request. */
  embeddingBatchSize?: number;
}

/** The SQLite knowledge base plus the extras that evaluation and benchmarks use. */
export interface SqliteKnowledgeBase extends KnowledgeBase {
  readonly index: SqliteKnowledgeIndex;
  /** The same search with only one half (evaluation). */
  searchWith(mode: RetrievalMode, query: string, options?: SearchOptions): Promise<SearchHit[]>;
}

/** Creates the knowledge base; the embedding model comes from `config.model` unless given. */
export function createKnowledgeBase(db: Db, config: Config, logger: Logger, options: KnowledgeBaseOptions = {}): SqliteKnowledgeBase {
  const index = new SqliteKnowledgeIndex(db, logger);
  const embedding = options.embedding === null ? undefined : (options.embedding ?? createEmbeddingModel(config));
  const usableEmbedding = embedding && index.vectorsAvailable ? embedding : undefined;
  const search = new HybridSearch(index, logger, usableEmbedding, config.defaultTimezone, options.clock, options.tuning);
  const batchSize = options.embeddingBatchSize ?? 64;
  let running: Promise<IngestReport> | undefined;

  /** Embeds every chunk that has no vector yet; a failure is reported and retried next run. */
  async function embedPending(problems: IngestProblem[]): Promise<number> {
    if (!usableEmbedding) return 0;
    let done = 0;
    try {
      for (;;) {
        const batch = index.unembeddedChunks(batchSize);
        if (batch.length === 0) break;
        const vectors = await usableEmbedding.embeddings.embedDocuments(batch.map((c) => c.text));
        const dimensions = usableEmbedding.dimensions ?? vectors[0]?.length;
        if (!dimensions) throw new Error('the embedding model returned no vectors');
        index.prepareVectors({ name: usableEmbedding.name, dimensions });
        // A new model resets every chunk to unembedded; this batch's vectors are from the new model already.
        index.writeVectors(batch.map((c, i) => ({ id: c.id, embedding: vectors[i]! })));
        done += batch.length;
      }
    } catch (error) {
      logger.warn({ err: error, embedded: done }, 'embedding failed; full-text search still works, the rest is retried on the next ingestion');
      problems.push({ path: '(embeddings)', reason: `embedding failed after ${done} chunks: ${(error as Error).message}` });
    }
    return done;
  }

  async function ingestOnce(dir: string): Promise<IngestReport> {
    const started = performance.now();
    const plan = await planIngest(index, path.resolve(dir), options);
    const nothingChanged =
      plan.changes.upserts.length === 0 && plan.changes.removed.length === 0 && plan.changes.touched.length === 0;
    const vocabularyChanged =
      (plan.glossary && JSON.stringify(plan.glossary) !== JSON.stringify(index.glossary())) ||
      (plan.concepts && JSON.stringify(plan.concepts) !== JSON.stringify(index.concepts()));
    if (!nothingChanged || vocabularyChanged) {
      index.apply(plan.changes, plan.glossary, plan.concepts);
      search.refresh();
    }
    await embedPending(plan.problems);
    return { ...plan.counts, chunks: plan.chunks, problems: plan.problems, durationMs: Math.round(performance.now() - started) };
  }

  const knowledge: SqliteKnowledgeBase = {
    index,
    search: (query, searchOptions) => search.search(query, searchOptions),
    searchWith: (mode, query, searchOptions) => search.search(query, searchOptions, mode),
    asRetriever: (searchOptions) => new KnowledgeRetriever({ knowledge, options: searchOptions }),
    getDocument: (id) => index.getDocument(id),
    ingest: (dir) => {
      // One run at a time: a second caller waits for the first, then runs (cheaply) itself.
      const previous = running ?? Promise.resolve();
      const next = previous.catch(() => undefined).then(() => ingestOnce(dir));
      running = next;
      return next;
    },
    isUsable: () => {
      try {
        index.db.prepare('SELECT count(*) FROM kb_documents').get();
        return true;
      } catch {
        return false;
      }
    },
    stats: () => index.stats(),
  };
  return knowledge;
}
