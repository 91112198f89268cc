/**
 * The retrieval-only answer (offline mode, or after the model failed): acknowledges the person,
 * lists the most relevant documents with one line each on why they match, and ends with one
 * reflective question from `prompts/`. It never promises an outcome and asks exactly one question.
 */
import type { Citation, Locale } from '../core/types';
import type { KnowledgeDocument } from '../knowledge/types';
import { toCitation, type NumberedSource } from './context';
import { fill, type ConsultationPrompts } from './prompts';
import type { SensitiveTopic } from './prompts';

export interface OfflineAnswerInput {
  question: string;
  locale: Locale;
  sources: NumberedSource[];
  sensitive: SensitiveTopic[];
  consultantContact: string;
  /** Say once that generated answers are off. */
  offlineNotice: boolean;
  /** Say that the model failed this time. */
  faultNotice: boolean;
  /** How many documents to list. */
  maxItems?: number;
}

export interface OfflineAnswer {
  text: string;
  sources: Citation[];
}

/** Words of the question that are (part of) a document's skills. */
export function matchedSkills(question: string, doc: KnowledgeDocument): string[] {
  const q = question.toLowerCase();
  return doc.skills.filter((skill) => {
    const s = skill.toLowerCase();
    if (q.includes(s)) return true;
    // "product manager" matches the skill "プロダクトマネジメント" only through the index; here, whole Latin words of 4+ letters.
    return s.split(/[\s/・]+/).some((part) => part.length >= 4 && /^[a-z0-9]+$/.test(part) && q.includes(part));
  });
}

function reason(question: string, doc: KnowledgeDocument, locale: Locale, prompts: ConsultationPrompts): string {
  const t = prompts.offline[locale];
  const parts: string[] = [];
  const skills = matchedSkills(question, doc);
  parts.push(skills.length ? fill(t.reasons.skills, { skills: skills.join(locale === 'ja' ? '」「' : ', ') }) : t.reasons.content);
  if (doc.deadline) parts.push(fill(t.reasons.deadline, { deadline: doc.deadline }));
  if (doc.format) parts.push(fill(t.reasons.format, { format: t.formats[doc.format] ?? doc.format }));
  if (doc.hours) parts.push(fill(t.reasons.hours, { hours: doc.hours }));
  if (doc.level) parts.push(fill(t.reasons.level, { level: doc.level }));
  if (doc.kind === 'posting' && doc.department) parts.push(fill(t.reasons.department, { department: doc.department }));
  return parts.join(locale === 'ja' ? '・' : ' · ');
}

/** Picks the closing question: the sensitive one, else one fitting the best document's kind, else a general one. */
export function reflectiveQuestion(question: string, locale: Locale, sources: NumberedSource[], sensitive: boolean, prompts: ConsultationPrompts): string {
  if (sensitive) return prompts.reflective.sensitive[locale];
  const top = sources[0]?.document.kind;
  const byKind = top ? prompts.reflective.byKind[top]?.[locale] : undefined;
  const general = prompts.reflective.general[locale];
  // Deterministic for a question (tests, repeated asks), varied across questions.
  let h = 0;
  for (const ch of question) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  if (byKind && h % 2 === 0) return byKind;
  return general[h % general.length]!;
}

/**
 * The documents to list: the best one of each kind first (a training, a job shadowing, an open
 * posting, a guide), then the rest in rank order. A worry is better met by a choice of different
 * experiences than by four courses. Renumbered 1…n in the order shown.
 */
export function pickDiverse(sources: NumberedSource[], max: number): NumberedSource[] {
  const chosen: NumberedSource[] = [];
  const kinds = new Set<string>();
  for (const source of sources) {
    if (chosen.length >= max) break;
    if (!kinds.has(source.document.kind)) {
      kinds.add(source.document.kind);
      chosen.push(source);
    }
  }
  for (const source of sources) {
    if (chosen.length >= max) break;
    if (!chosen.includes(source)) chosen.push(source);
  }
  chosen.sort((a, b) => sources.indexOf(a) - sources.indexOf(b));
  return chosen.map((source, i) => ({ ...source, n: i + 1 }));
}

export function composeOfflineAnswer(input: OfflineAnswerInput, prompts: ConsultationPrompts): OfflineAnswer {
  const t = prompts.offline[input.locale];
  const paragraphs: string[] = [];
  const sensitive = input.sensitive.length > 0;
  if (sensitive) paragraphs.push(fill(prompts.safety.referral[input.locale], { contact: input.consultantContact }));
  if (input.faultNotice) paragraphs.push(t.fault_notice);
  if (input.offlineNotice) paragraphs.push(t.offline_notice);
  paragraphs.push(t.acknowledge);
  const listed = pickDiverse(input.sources, input.maxItems ?? 4);
  if (listed.length === 0) {
    paragraphs.push(fill(t.none, { contact: input.consultantContact }));
  } else {
    const lines = listed.map((s) => {
      const d = s.document;
      return `${s.n}. **${t.kinds[d.kind]}**: [${d.title}](${d.url}) [${s.n}] — ${reason(input.question, d, input.locale, prompts)}`;
    });
    paragraphs.push(`${t.intro}\n${lines.join('\n')}`);
    paragraphs.push(t.closing);
  }
  paragraphs.push(reflectiveQuestion(input.question, input.locale, listed, sensitive, prompts));
  return { text: paragraphs.join('\n\n'), sources: listed.map(toCitation) };
}
