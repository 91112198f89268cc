/**
 * Hybrid retrieval: BM25 over segmented text (the query as typed, and the query expanded with
 * the bilingual glossary) and, when an embedding model is configured, KNN over vectors; the
 * ranked lists are merged by weighted reciprocal rank fusion, filtered, and capped at two
 * chunks per document.
 */
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import { Document } from '@langchain/core/documents';
import type { Logger } from 'pino';
import type { EmbeddingModel } from './embeddings';
import { GlossaryExpander } from './glossary';
import type { ChunkFilter, RankedChunk, SqliteKnowledgeIndex } from './sqlite-index';
import { ftsPhrase, hasJapanese, tokenize, uniqueTokens } from './text';
import type { KnowledgeBase, SearchHit, SearchOptions } from './types';

/** Which lists take part: both halves by default; the others exist for evaluation and benchmarks. */
export type RetrievalMode = 'hybrid' | 'lexical' | 'vector';

export interface RetrievalTuning {
  /** RRF constant: larger flattens the difference between ranks. */
  rrfK: number;
  /** Weight of the query as typed relative to the glossary-expanded query (which contains it). */
  typedQueryWeight: number;
  /** Tuned with the hashing embedder on the sample corpus; re-measure with a real model (TSUMIKI_EVAL_TUNING). */
  vectorWeight: number;
  /** Embed the query together with its glossary expansion. */
  expandVectorQuery: boolean;
  /** Candidates taken from each list before fusion. */
  candidates: number;
  maxChunksPerDocument: number;
  /** At most this many terms of the query, and as many glossary phrases, go into a full-text query. */
  maxQueryTerms: number;
  /** Terms found in more than this share of chunks are left out (unless nothing else is left). */
  maxTermShare: number;
}

export const DEFAULT_TUNING: RetrievalTuning = { rrfK: 60, typedQueryWeight: 0.6, vectorWeight: 0.2, expandVectorQuery: true, candidates: 50, maxChunksPerDocument: 2, maxQueryTerms: 16, maxTermShare: 0.5 };

export interface RankedList {
  weight: number;
  items: RankedChunk[];
}

/** Weighted reciprocal rank fusion: Σ weight / (k + rank), rank from 1. */
export function reciprocalRankFusion(lists: RankedList[], k = DEFAULT_TUNING.rrfK): RankedChunk[] {
  const scores = new Map<number, number>();
  for (const list of lists) {
    list.items.forEach((item, index) => {
      scores.set(item.chunkId, (scores.get(item.chunkId) ?? 0) + list.weight / (k + index + 1));
    });
  }
  return [...scores.entries()].map(([chunkId, score]) => ({ chunkId, score })).sort((a, b) => b.score - a.score || a.chunkId - b.chunkId);
}

/** The calendar date (YYYY-MM-DD) of `now` in `timeZone`. */
export function isoDateIn(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export class HybridSearch {
  private expander: GlossaryExpander;

  constructor(
    private readonly index: SqliteKnowledgeIndex,
    private readonly logger: Logger,
    private readonly embedding: EmbeddingModel | undefined,
    private readonly timeZone: string,
    private readonly clock: () => Date = () => new Date(),
    readonly tuning: RetrievalTuning = DEFAULT_TUNING,
  ) {
    this.expander = new GlossaryExpander(index.glossary());
  }

  /** Re-reads the glossary after an ingestion. */
  refresh(): void {
    this.expander = new GlossaryExpander(this.index.glossary());
  }

  /**
   * The FTS5 expressions for a query: as typed, and with glossary terms (phrases) added. Long
   * questions are trimmed to their rarest terms: a term found in most chunks adds almost nothing
   * to BM25 but costs a scan of its whole posting list.
   */
  lexicalQueries(query: string): { original: string; expanded: string | null } {
    const total = Math.max(1, this.index.chunkCount());
    const frequency = (tokens: string[]) => Math.min(...tokens.map((t) => this.index.documentFrequency(t) ?? 0));
    const keepRarest = (terms: string[][], max: number, byRarity: boolean) => {
      const scored = terms.map((tokens) => ({ tokens, df: frequency(tokens) }));
      const useful = scored.filter((t) => t.df <= total * this.tuning.maxTermShare);
      const kept = useful.length > 0 ? useful : scored;
      // Glossary phrases keep their glossary order: an unstemmed English phrase looks rare
      // (not in the vocabulary as written) without being useful.
      if (byRarity) kept.sort((a, b) => a.df - b.df);
      return kept.slice(0, max).map((t) => ftsPhrase(t.tokens));
    };
    const typed = keepRarest(uniqueTokens(query).map((t) => [t]), this.tuning.maxQueryTerms, true);
    const seen = new Set(typed);
    const extra: string[][] = [];
    for (const term of this.expander.expand(query)) {
      const termTokens = tokenize(term);
      const phrase = ftsPhrase(termTokens);
      if (termTokens.length > 0 && !seen.has(phrase)) {
        seen.add(phrase);
        extra.push(termTokens);
      }
    }
    const expansion = keepRarest(extra, this.tuning.maxQueryTerms * 2, false);
    return { original: typed.join(' OR '), expanded: expansion.length > 0 ? [...typed, ...expansion].join(' OR ') : null };
  }

  async search(query: string, options: SearchOptions = {}, mode: RetrievalMode = 'hybrid'): Promise<SearchHit[]> {
    const k = Math.max(1, Math.min(options.k ?? 5, 100));
    const filter: ChunkFilter = {
      kinds: options.kinds,
      lang: options.lang,
      openOn: options.includeClosed ? undefined : isoDateIn(options.now ?? this.clock(), this.timeZone),
    };
    const n = Math.max(this.tuning.candidates, k * 4);
    const lists: RankedList[] = [];
    if (mode !== 'vector') {
      const { original, expanded } = this.lexicalQueries(query);
      // The query as typed and the glossary-expanded query each vote. An English question over
      // mostly Japanese documents gets little from its own words, so only the expansion votes then.
      const japanese = hasJapanese(query);
      if (original && (japanese || !expanded)) lists.push({ weight: expanded ? this.tuning.typedQueryWeight : 1, items: this.index.lexical(original, n, filter) });
      if (expanded) lists.push({ weight: 1, items: this.index.lexical(expanded, n, filter) });
    }
    if (mode !== 'lexical' && this.embedding && this.index.hasVectors() && query.trim()) {
      try {
        // The glossary helps the vector half too: the query is embedded with its expansion terms.
        const expansion = this.tuning.expandVectorQuery ? this.expander.expand(query) : [];
        const vector = await this.embedding.embeddings.embedQuery(expansion.length ? `${query}\n${expansion.join(' ')}` : query);
        lists.push({ weight: this.tuning.vectorWeight, items: this.filterVectorHits(this.index.vector(vector, n * 2), filter).slice(0, n) });
      } catch (error) {
        // The lexical half still answers; the query text is not logged.
        this.logger.warn({ err: error }, 'query embedding failed: answering from full-text search only');
      }
    }
    const fused = reciprocalRankFusion(lists, this.tuning.rrfK);
    return this.toHits(fused, k);
  }

  private filterVectorHits(items: RankedChunk[], filter: ChunkFilter): RankedChunk[] {
    const owners = this.index.documentOfChunks(items.map((i) => i.chunkId));
    const documents = this.index.allDocuments();
    return items.filter((item) => {
      const doc = documents.get(owners.get(item.chunkId) ?? '');
      if (!doc) return false;
      if (filter.kinds?.length && !filter.kinds.includes(doc.kind)) return false;
      if (filter.lang && doc.lang !== filter.lang) return false;
      if (filter.openOn && doc.deadline && doc.deadline < filter.openOn) return false;
      return true;
    });
  }

  private toHits(fused: RankedChunk[], k: number): SearchHit[] {
    const chunks = this.index.chunks(fused.slice(0, k * 4 + 20).map((f) => f.chunkId));
    const perDocument = new Map<string, number>();
    const hits: SearchHit[] = [];
    for (const item of fused) {
      if (hits.length >= k) break;
      const chunk = chunks.get(item.chunkId) ?? this.index.chunks([item.chunkId]).get(item.chunkId);
      if (!chunk) continue;
      const used = perDocument.get(chunk.documentId) ?? 0;
      if (used >= this.tuning.maxChunksPerDocument) continue;
      const document = this.index.getDocument(chunk.documentId);
      if (!document) continue;
      perDocument.set(chunk.documentId, used + 1);
      hits.push({ document, chunkId: String(chunk.id), text: chunk.text, score: item.score });
    }
    return hits;
  }
}

export interface KnowledgeRetrieverInput extends BaseRetrieverInput {
  knowledge: Pick<KnowledgeBase, 'search'>;
  options?: SearchOptions;
}

/** The knowledge base as a LangChain retriever: one `Document` per hit, metadata = the document's fields. */
export class KnowledgeRetriever extends BaseRetriever {
  static override lc_name(): string {
    return 'KnowledgeRetriever';
  }

  override lc_namespace = ['tsumiki', 'knowledge'];
  private readonly knowledge: Pick<KnowledgeBase, 'search'>;
  private readonly options: SearchOptions;

  constructor(fields: KnowledgeRetrieverInput) {
    super(fields);
    this.knowledge = fields.knowledge;
    this.options = fields.options ?? {};
  }

  override async _getRelevantDocuments(query: string): Promise<Document[]> {
    const hits = await this.knowledge.search(query, this.options);
    return hits.map(
      (hit) =>
        new Document({
          id: hit.document.id,
          pageContent: hit.text,
          metadata: { ...hit.document, chunkId: hit.chunkId, score: hit.score },
        }),
    );
  }
}
