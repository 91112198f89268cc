/**
 * One to three opportunities from the knowledge base worth discussing in the 1on1: trainings,
 * open postings and job-shadowing programmes matching the member's shared themes (or, when nothing
 * is shared, general ways to build experience). Returned as citations for `Reply.sources`.
 */
import type { Logger } from 'pino';
import type { Citation, DocumentKind, Locale } from '../core/types';
import type { KnowledgeBase, SearchHit } from '../knowledge/types';

const OPPORTUNITY_KINDS: DocumentKind[] = ['training', 'posting', 'shadowing'];
const MAX_OPPORTUNITIES = 3;
const GENERAL_QUERY: Record<Locale, string> = {
  ja: 'キャリア 経験 挑戦 ジョブシャドウイング 社内公募 研修',
  en: 'career experience challenge job shadowing internal posting training',
};

export interface Opportunity extends Citation {
  /** A short excerpt to say why it is relevant. */
  snippet: string;
}

/**
 * Searches the knowledge base with the shared themes (never with unshared text, never with the
 * member's name). A failing search yields no opportunities and a warning, not a failed 1on1.
 */
export async function findOpportunities(
  knowledge: KnowledgeBase,
  themes: string[],
  locale: Locale,
  now: Date,
  logger: Logger,
): Promise<Opportunity[]> {
  const query = themes.length > 0 ? themes.slice(0, 6).join(' ') : GENERAL_QUERY[locale];
  let hits: SearchHit[] = [];
  try {
    hits = await knowledge.search(query, { k: 10, kinds: OPPORTUNITY_KINDS, now });
  } catch (error) {
    logger.warn({ err: error }, '1on1: knowledge search failed; suggesting without opportunities');
    return [];
  }
  const seen = new Set<string>();
  const picked: SearchHit[] = [];
  // Prefer documents in the manager's language, but a good match in the other language still counts.
  for (const hit of [...hits.filter((h) => h.document.lang === locale), ...hits.filter((h) => h.document.lang !== locale)]) {
    if (!OPPORTUNITY_KINDS.includes(hit.document.kind) || seen.has(hit.document.id) || isClosed(hit.document.deadline, now)) continue;
    seen.add(hit.document.id);
    picked.push(hit);
    if (picked.length === MAX_OPPORTUNITIES) break;
  }
  return picked.map((hit, i) => ({
    n: i + 1,
    id: hit.document.id,
    title: hit.document.title,
    url: hit.document.url,
    kind: hit.document.kind,
    deadline: hit.document.deadline ?? null,
    snippet: snippet(hit.text),
  }));
}

function isClosed(deadline: string | null | undefined, now: Date): boolean {
  if (!deadline) return false;
  const end = Date.parse(`${deadline.slice(0, 10)}T23:59:59Z`);
  return Number.isFinite(end) && end < now.getTime();
}

function snippet(text: string): string {
  const plain = text.replace(/^#+\s*/gm, '').replace(/\s+/g, ' ').trim();
  const chars = [...plain];
  return chars.length <= 80 ? plain : `${chars.slice(0, 80).join('')}…`;
}
