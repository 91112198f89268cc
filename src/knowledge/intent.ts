/**
 * Words that say which kind of document a query wants: "営業 研修" asks for trainings, "営業 公募"
 * for postings, "営業 同行" for job shadowing. They are a soft boost, not a filter: "公募 ルール"
 * still finds the posting rules guide. Single-word English cues are matched as whole words.
 */
import type { DocumentKind } from '../core/types';
import { compileMatcher } from './glossary';
import { normalizeText } from './text';

/** The vocabulary of each kind, Japanese and English. */
export const KIND_INTENT_WORDS: Record<DocumentKind, string[]> = {
  training: ['研修', '講座', 'コース', 'トレーニング', '勉強会', 'eラーニング', 'training', 'course', 'workshop', 'class', 'e-learning'],
  posting: ['社内公募', '公募', '求人', '募集', 'ポジション', 'posting', 'opening', 'vacancy', 'job opening', 'position'],
  shadowing: ['ジョブシャドウイング', 'シャドウイング', '職場体験', '見学', '同行', 'job shadowing', 'shadowing', 'shadow'],
  guide: ['制度', 'ルール', '規程', '規定', 'ガイド', '手続き', 'policy', 'rules', 'guide', 'guideline', 'procedure'],
};

const matchers = (Object.entries(KIND_INTENT_WORDS) as Array<[DocumentKind, string[]]>).map(
  ([kind, words]) => [kind, words.map((w) => compileMatcher(normalizeText(w)))] as const,
);
const kindWords = new Set(Object.values(KIND_INTENT_WORDS).flat().map(normalizeText));

/** The kinds a query names (possibly several, possibly none). */
export function detectKindIntents(query: string): DocumentKind[] {
  const normalized = normalizeText(query);
  return matchers.filter(([, ms]) => ms.some((matches) => matches(normalized))).map(([kind]) => kind);
}

/** True for a word that names a kind of document (used to keep it out of glossary expansion). */
export function isKindWord(term: string): boolean {
  return kindWords.has(normalizeText(term));
}
