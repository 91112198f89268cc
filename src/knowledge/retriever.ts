/**
 * Hybrid retrieval: BM25 over segmented text (the query's own terms, plus phrases from the
 * bilingual glossary and the worry → experience concept map, in one full-text query) and, when
 * an embedding model is configured, KNN over vectors; the ranked lists are merged by weighted
 * reciprocal rank fusion, documents of the kind the query asks for (研修, posting, 見学…) get a
 * soft boost, closed postings and other filters are applied, and each document contributes at
 * most two chunks.
 */
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import { Document } from '@langchain/core/documents';
import type { Logger } from 'pino';
import type { DocumentKind } from '../core/types';
import { ConceptExpander } from './concepts';
import type { EmbeddingModel } from './embeddings';
import { GlossaryExpander } from './glossary';
import { detectKindIntents, isKindWord } from './intent';
import type { ChunkFilter, RankedChunk, SqliteKnowledgeIndex } from './sqlite-index';
import { ftsPhrase, hasJapanese, tokenize, uniqueTokens } from './text';
import type { KnowledgeBase, SearchHit, SearchOptions } from './types';

/** Which lists take part: both halves by default; the others exist for evaluation and benchmarks. */
export type RetrievalMode = 'hybrid' | 'lexical' | 'vector';

export interface RetrievalTuning {
  /** RRF constant: larger flattens the difference between ranks. */
  rrfK: number;
  /** Tuned with the hashing embedder on the sample corpus; re-measure with a real model (TSUMIKI_EVAL_TUNING). */
  vectorWeight: number;
  /** Embed the query together with its glossary and concept expansion. */
  expandVectorQuery: boolean;
  /** Candidates taken from each list before fusion. */
  candidates: number;
  maxChunksPerDocument: number;
  /** At most this many of the query's own terms (the rarest) go into the full-text query. */
  maxQueryTerms: number;
  /** At most this many glossary and concept phrases go into the full-text query. */
  maxExpansionTerms: number;
  /** Terms found in more than this share of chunks are left out (unless nothing else is left). */
  maxTermShare: number;
  /**
   * Cost budget of a full-text query, as a multiple of the chunk count: the most common terms are
   * dropped until the summed posting-list lengths fit. BM25 must score every chunk that matches
   * any term, so a few very common terms cost most of the time while adding little to the ranking.
   */
  maxPostingsShare: number;
  /** Fused scores of documents of the kind the query asks for are multiplied by 1 + this. */
  kindBoost: number;
  /**
   * How many times each of the query's own terms appears in the FTS5 expression. bm25() sums
   * over the expression's phrases, so a repeated term weighs that many times: the words as
   * typed count more than their glossary and concept expansion, in one pass over the index.
   */
  typedTermWeight: number;
  /** The same for English queries (the corpus is mostly Japanese: their expansion matters more). */
  typedTermWeightEnglish: number;
}

export const DEFAULT_TUNING: RetrievalTuning = {
  rrfK: 60,
  vectorWeight: 0.2,
  expandVectorQuery: true,
  candidates: 50,
  maxChunksPerDocument: 2,
  maxQueryTerms: 16,
  maxExpansionTerms: 32,
  maxTermShare: 0.5,
  maxPostingsShare: 0.75,
  kindBoost: 0.1,
  typedTermWeight: 2,
  typedTermWeightEnglish: 1,
};

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

/** What a query becomes before it reaches the index. */
export interface LexicalQuery {
  /** The FTS5 MATCH expression ('' when the query has no searchable term). */
  match: string;
  /** Kinds of document the query asks for by name (研修 → training…). */
  kinds: DocumentKind[];
  /** Glossary and concept terms added to the query (also used to embed it). */
  expansion: string[];
}

export class HybridSearch {
  private glossary: GlossaryExpander;
  private concepts: ConceptExpander;

  constructor(
    private readonly index: SqliteKnowledgeIndex,
    private readonly logger: Logger,
    private readonly embedding: EmbeddingModel | undefined,
    private readonly timeZone: string,
    private readonly clock: () => Date = () => new Date(),
    readonly tuning: RetrievalTuning = DEFAULT_TUNING,
  ) {
    this.glossary = new GlossaryExpander(index.glossary());
    this.concepts = new ConceptExpander(index.concepts());
  }

  /** Re-reads the glossary and the concept map after an ingestion. */
  refresh(): void {
    this.glossary = new GlossaryExpander(this.index.glossary());
    this.concepts = new ConceptExpander(this.index.concepts());
  }

  /**
   * One FTS5 expression for a query: its own terms (the rarest first), glossary phrases (other
   * language, synonyms) and concept phrases (experiences that answer a worry). Terms found in
   * most chunks are dropped, then the most common ones until the posting lists fit the budget:
   * they add almost nothing to BM25 but cost a scan of their whole posting list.
   */
  lexicalQuery(query: string): LexicalQuery {
    const total = Math.max(1, this.index.chunkCount());
    const kinds = detectKindIntents(query);
    // Kind words (研修, course) do not pull in every synonym of "course": that would rank any
    // training with トレーニング in its title above the topic asked for. The kind boost covers them.
    const expansion = [...new Set([...this.glossary.expand(query, isKindWord), ...this.concepts.expand(query)])];
    const typed = uniqueTokens(query).map((token) => ({ tokens: [token], df: this.index.phraseFrequency([token]), typed: true }));
    typed.sort((a, b) => a.df - b.df);
    const seen = new Set(typed.map((t) => t.tokens.join(' ')));
    const extra: Array<{ tokens: string[]; df: number; typed: boolean }> = [];
    for (const term of expansion) {
      const tokens = tokenize(term);
      const key = tokens.join(' ');
      if (tokens.length === 0 || seen.has(key)) continue;
      seen.add(key);
      extra.push({ tokens, df: this.index.phraseFrequency(tokens), typed: false });
    }
    // Expansion phrases keep map order (the first terms of a row are the most typical), and
    // phrases absent from the index cost nothing and match nothing.
    let terms = [...typed.slice(0, this.tuning.maxQueryTerms), ...extra.filter((t) => t.df > 0).slice(0, this.tuning.maxExpansionTerms)];
    const useful = terms.filter((t) => t.df <= total * this.tuning.maxTermShare);
    if (useful.length > 0) terms = useful;
    const repeat = Math.max(1, Math.round(hasJapanese(query) ? this.tuning.typedTermWeight : this.tuning.typedTermWeightEnglish));
    // A repeated term is read once per repetition: its cost counts that many times.
    const cost = (t: (typeof terms)[number]) => t.df * (t.typed ? repeat : 1);
    const budget = total * this.tuning.maxPostingsShare;
    let postings = terms.reduce((sum, t) => sum + cost(t), 0);
    if (postings > budget && terms.length > 1) {
      const byCost = [...terms].sort((a, b) => b.df - a.df);
      const dropped = new Set<(typeof terms)[number]>();
      for (const t of byCost) {
        if (postings <= budget || dropped.size >= terms.length - 1) break;
        dropped.add(t);
        postings -= cost(t);
      }
      terms = terms.filter((t) => !dropped.has(t));
    }
    const phrases = terms.flatMap((t) => Array<string>(t.typed ? repeat : 1).fill(ftsPhrase(t.tokens)));
    return { match: phrases.join(' OR '), kinds, expansion };
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
    const lexical = this.lexicalQuery(query);
    if (mode !== 'vector' && lexical.match) lists.push({ weight: 1, items: this.index.lexical(lexical.match, n, filter) });
    if (mode !== 'lexical' && this.embedding && this.index.hasVectors() && query.trim()) {
      try {
        // The glossary and concept map help the vector half too: the query is embedded with its expansion.
        const expansion = this.tuning.expandVectorQuery ? lexical.expansion : [];
        const vector = await this.embedding.embeddings.embedQuery(expansion.length ? `${query}\n${expansion.join(' ')}` : query);
        // n nearest (filters drop few: closed postings); the re-ranking reads every candidate's floats.
        lists.push({ weight: this.tuning.vectorWeight, items: this.filterVectorHits(this.index.vector(vector, n), filter) });
      } catch (error) {
        // The lexical half still answers; the query text is not logged.
        this.logger.warn({ err: error }, 'query embedding failed: answering from full-text search only');
      }
    }
    const fused = reciprocalRankFusion(lists, this.tuning.rrfK);
    return this.toHits(fused, k, lexical.kinds);
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

  /** The top chunks as hits: kind boost, then at most `maxChunksPerDocument` per document. */
  private toHits(fused: RankedChunk[], k: number, kinds: DocumentKind[]): SearchHit[] {
    const candidates = fused.slice(0, k * 4 + 20);
    const chunks = this.index.chunks(candidates.map((f) => f.chunkId));
    const boosted = candidates
      .map((item) => {
        const chunk = chunks.get(item.chunkId);
        const document = chunk ? this.index.getDocument(chunk.documentId) : undefined;
        const boost = document && kinds.includes(document.kind) ? 1 + this.tuning.kindBoost : 1;
        return { chunk, document, score: item.score * boost };
      })
      .sort((a, b) => b.score - a.score || (a.chunk?.id ?? 0) - (b.chunk?.id ?? 0));
    const perDocument = new Map<string, number>();
    const hits: SearchHit[] = [];
    const take = (chunk: (typeof boosted)[number]['chunk'], document: (typeof boosted)[number]['document'], score: number) => {
      if (!chunk || !document || hits.length >= k) return;
      const used = perDocument.get(document.id) ?? 0;
      if (used >= this.tuning.maxChunksPerDocument) return;
      perDocument.set(document.id, used + 1);
      hits.push({ document, chunkId: String(chunk.id), text: chunk.text, score });
    };
    for (const { chunk, document, score } of boosted) take(chunk, document, score);
    // Rarely (many chunks of few documents) the candidates run out before k hits: go on down the list.
    for (const item of fused.slice(candidates.length)) {
      if (hits.length >= k) break;
      const chunk = this.index.chunks([item.chunkId]).get(item.chunkId);
      take(chunk, chunk ? this.index.getDocument(chunk.documentId) : undefined, item.score);
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
