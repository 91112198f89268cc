/**
 * Retrieval quality on a labelled query set: Recall@5, MRR@10 and nDCG@10 per query type and
 * overall, and how often a closed posting comes first. Used by `npm run eval:retrieval` and by
 * the quality test that guards a floor on these figures.
 */
import type { SearchHit, SearchOptions } from './types';

export interface EvalQuery {
  id: string;
  type: string;
  lang: string;
  query: string;
  relevant: string[];
  closed?: string[];
}

export interface EvalFigures {
  queries: number;
  recallAt5: number;
  mrrAt10: number;
  ndcgAt10: number;
  /** Queries whose first result is one of their closed postings. */
  closedFirst: number;
}

export interface EvalResult {
  byType: Record<string, EvalFigures>;
  overall: EvalFigures;
  /** Queries with no relevant document in the top 5 (for error analysis). */
  misses: Array<{ id: string; type: string; query: string; relevant: string[]; got: string[] }>;
}

/** Document ids in rank order, one per document. */
export function rankedDocumentIds(hits: SearchHit[]): string[] {
  const seen = new Set<string>();
  for (const hit of hits) seen.add(hit.document.id);
  return [...seen];
}

function figures(rows: Array<{ recall: number; rr: number; ndcg: number; closedFirst: boolean }>): EvalFigures {
  const n = rows.length || 1;
  return {
    queries: rows.length,
    recallAt5: rows.reduce((s, r) => s + r.recall, 0) / n,
    mrrAt10: rows.reduce((s, r) => s + r.rr, 0) / n,
    ndcgAt10: rows.reduce((s, r) => s + r.ndcg, 0) / n,
    closedFirst: rows.filter((r) => r.closedFirst).length,
  };
}

/** Scores one ranking against its labels. */
export function scoreRanking(ranking: string[], query: EvalQuery): { recall: number; rr: number; ndcg: number; closedFirst: boolean } {
  const relevant = new Set(query.relevant);
  const top5 = ranking.slice(0, 5);
  const recall = relevant.size ? top5.filter((id) => relevant.has(id)).length / Math.min(relevant.size, 5) : 0;
  const firstHit = ranking.slice(0, 10).findIndex((id) => relevant.has(id));
  const rr = firstHit >= 0 ? 1 / (firstHit + 1) : 0;
  let dcg = 0;
  ranking.slice(0, 10).forEach((id, i) => {
    if (relevant.has(id)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(relevant.size, 10); i++) ideal += 1 / Math.log2(i + 2);
  const closedFirst = ranking[0] !== undefined && (query.closed ?? []).includes(ranking[0]);
  return { recall, rr, ndcg: ideal ? dcg / ideal : 0, closedFirst };
}

/** Runs every query through `search` (k = 10 documents) and aggregates. */
export async function evaluateRetrieval(
  queries: EvalQuery[],
  search: (query: string, options: SearchOptions) => Promise<SearchHit[]>,
  options: SearchOptions = {},
): Promise<EvalResult> {
  const rows: Array<{ q: EvalQuery; score: ReturnType<typeof scoreRanking>; ranking: string[] }> = [];
  for (const q of queries) {
    const hits = await search(q.query, { ...options, k: 20 });
    const ranking = rankedDocumentIds(hits).slice(0, 10);
    rows.push({ q, score: scoreRanking(ranking, q), ranking });
  }
  const byType: Record<string, EvalFigures> = {};
  for (const type of [...new Set(queries.map((q) => q.type))]) byType[type] = figures(rows.filter((r) => r.q.type === type).map((r) => r.score));
  return {
    byType,
    overall: figures(rows.map((r) => r.score)),
    misses: rows
      .filter((r) => r.score.recall === 0)
      .map((r) => ({ id: r.q.id, type: r.q.type, query: r.q.query, relevant: r.q.relevant, got: r.ranking.slice(0, 5) })),
  };
}

/** A markdown table of figures. */
export function formatEvalTable(title: string, result: EvalResult): string {
  const line = (name: string, f: EvalFigures) =>
    `| ${name} | ${f.queries} | ${f.recallAt5.toFixed(3)} | ${f.mrrAt10.toFixed(3)} | ${f.ndcgAt10.toFixed(3)} | ${f.closedFirst} |`;
  return [
    `### ${title}`,
    '',
    '| type | queries | Recall@5 | MRR@10 | nDCG@10 | closed posting first |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...Object.entries(result.byType).map(([type, f]) => line(type, f)),
    line('**overall**', result.overall),
  ].join('\n');
}
