/**
 * The retrieved context as the model sees it: one number per document (several chunks of one
 * document share it), within a token budget. When the budget is short the lowest-ranked chunks go
 * first, so the best evidence always survives.
 */
import type { Document } from '@langchain/core/documents';
import type { Citation, DocumentKind, Locale } from '../core/types';
import type { KnowledgeDocument, SearchHit } from '../knowledge/types';

/** A document as numbered in the context (and in the answer's citations). */
export interface NumberedSource {
  n: number;
  document: KnowledgeDocument;
  chunks: string[];
}

export interface FormattedContext {
  /** The text put into the system prompt. */
  text: string;
  sources: NumberedSource[];
  /** Approximate tokens of `text`. */
  tokens: number;
  /** Chunks dropped to fit the budget. */
  dropped: number;
}

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/gu;

/**
 * Approximate token count without a tokenizer download: about one token per CJK character and
 * one per four other characters (close to cl100k/o200k for mixed Japanese/English text).
 */
export function approximateTokens(text: string): number {
  const cjk = text.match(CJK)?.length ?? 0;
  return cjk + Math.ceil((text.length - cjk) / 4);
}

/** A retriever's Document back to a SearchHit (the knowledge base puts the document's fields in metadata). */
export function hitFromDocument(doc: Document, rank: number): SearchHit | undefined {
  const m = doc.metadata as Partial<KnowledgeDocument> & { chunkId?: string; score?: number };
  if (!m.id || !m.title || !m.url) return undefined;
  return {
    document: {
      id: m.id,
      kind: (m.kind ?? 'guide') as DocumentKind,
      title: m.title,
      lang: (m.lang ?? 'ja') as Locale,
      url: m.url,
      skills: Array.isArray(m.skills) ? m.skills : [],
      deadline: m.deadline ?? null,
      department: m.department ?? null,
      location: m.location ?? null,
      eligibility: m.eligibility ?? null,
      format: m.format ?? null,
      hours: m.hours ?? null,
      level: m.level ?? null,
      duration: m.duration ?? null,
      path: m.path ?? '',
    },
    chunkId: m.chunkId ?? `${m.id}#${rank}`,
    text: doc.pageContent,
    score: typeof m.score === 'number' ? m.score : 1 / (rank + 1),
  };
}

function header(n: number, d: KnowledgeDocument): string {
  const facts: string[] = [d.kind];
  if (d.deadline) facts.push(`deadline ${d.deadline}`);
  if (d.format) facts.push(`format ${d.format}`);
  if (d.hours) facts.push(`${d.hours} h`);
  if (d.level) facts.push(`level ${d.level}`);
  if (d.department) facts.push(d.department);
  if (d.location) facts.push(d.location);
  if (d.eligibility) facts.push(`eligibility: ${d.eligibility}`);
  if (d.skills.length) facts.push(`skills: ${d.skills.join(', ')}`);
  return `[${n}] ${d.title} (${facts.join('; ')})\nURL: ${d.url}`;
}

function render(sources: NumberedSource[]): string {
  return sources.map((s) => `${header(s.n, s.document)}\n${s.chunks.join('\n…\n')}`).join('\n\n');
}

/**
 * Numbers the documents of `hits` (in rank order) and renders them within `tokenBudget`.
 * @param hits best first.
 */
export function formatContext(hits: SearchHit[], tokenBudget: number): FormattedContext {
  let kept = [...hits];
  let dropped = 0;
  for (;;) {
    const sources = numberSources(kept);
    const text = render(sources);
    const tokens = approximateTokens(text);
    if (tokens <= tokenBudget || kept.length === 0) return { text, sources, tokens, dropped };
    if (kept.length === 1) {
      // Even one chunk is too long: keep its beginning rather than nothing.
      const only = kept[0]!;
      const overhead = approximateTokens(header(1, only.document)) + 8;
      const chars = [...only.text];
      let keep = chars.length;
      while (keep > 0 && approximateTokens(chars.slice(0, keep).join('')) > tokenBudget - overhead) keep = Math.floor(keep * 0.8);
      kept = keep > 0 ? [{ ...only, text: `${chars.slice(0, keep).join('')}…` }] : [];
      const s = numberSources(kept);
      const t = render(s);
      return { text: t, sources: s, tokens: approximateTokens(t), dropped: dropped + (keep > 0 ? 0 : 1) };
    }
    kept = kept.slice(0, -1);
    dropped++;
  }
}

function numberSources(hits: SearchHit[]): NumberedSource[] {
  const byId = new Map<string, NumberedSource>();
  for (const hit of hits) {
    const existing = byId.get(hit.document.id);
    if (existing) existing.chunks.push(hit.text);
    else byId.set(hit.document.id, { n: byId.size + 1, document: hit.document, chunks: [hit.text] });
  }
  return [...byId.values()];
}

/** The Citation shown to the person for a numbered source. */
export function toCitation(source: NumberedSource): Citation {
  const d = source.document;
  return { n: source.n, id: d.id, title: d.title, url: d.url, kind: d.kind, deadline: d.deadline ?? null };
}
