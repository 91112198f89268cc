/**
 * The curated 1on1 question bank (prompts/oneonone/questions.yaml) and the offline choice of
 * questions: one per category, ranked by the member's shared themes, skipping what was suggested
 * recently. Pure functions over data; no storage, no model.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import type { Locale } from '../core/types';

/** The five parts of a 1on1 conversation, in the order they are shown. */
export const CATEGORIES = ['history', 'present', 'future', 'meaning', 'learning'] as const;
export type Category = (typeof CATEGORIES)[number];

const bilingual = z.object({ ja: z.string().min(1), en: z.string().min(1) });

const bankSchema = z
  .object({
    categories: z.array(z.object({ id: z.enum(CATEGORIES), label: bilingual, hint: bilingual })).length(CATEGORIES.length),
    themes: z.record(z.string(), z.array(z.string().min(1)).min(1)),
    questions: z
      .array(
        z.object({
          id: z.string().regex(/^[a-z]+-\d+$/),
          category: z.enum(CATEGORIES),
          themes: z.array(z.string()).default([]),
          needs: z.enum(['lesson', 'theme']).optional(),
          ja: z.string().min(1),
          en: z.string().min(1),
        }),
      )
      .min(40),
    openings: z
      .array(z.object({ id: z.string().min(1), needs: z.literal('shared').optional(), ja: z.string().min(1), en: z.string().min(1) }))
      .min(1),
  })
  .superRefine((bank, ctx) => {
    const ids = new Set<string>();
    for (const q of [...bank.questions, ...bank.openings]) {
      if (ids.has(q.id)) ctx.addIssue({ code: 'custom', message: `id ${q.id} appears twice` });
      ids.add(q.id);
    }
    for (const q of bank.questions) {
      for (const t of q.themes) if (!(t in bank.themes)) ctx.addIssue({ code: 'custom', message: `${q.id}: unknown theme ${t}` });
      for (const locale of ['ja', 'en'] as const) {
        const placeholder = q.needs ? `{${q.needs}}` : undefined;
        if (placeholder && !q[locale].includes(placeholder)) ctx.addIssue({ code: 'custom', message: `${q.id}.${locale} lacks ${placeholder}` });
        if (!placeholder && /\{\w+\}/.test(q[locale])) ctx.addIssue({ code: 'custom', message: `${q.id}.${locale} has a placeholder but no needs` });
      }
    }
    for (const c of CATEGORIES) {
      if (bank.questions.filter((q) => q.category === c && !q.needs).length < 3) {
        ctx.addIssue({ code: 'custom', message: `category ${c} needs at least 3 questions without placeholders` });
      }
    }
  });

export type QuestionBank = z.infer<typeof bankSchema>;
export type BankQuestion = QuestionBank['questions'][number];

/** Where the curated texts live; the same from `src/` (tsx) and from a build under `dist/`. */
export const PROMPTS_DIR = path.resolve(__dirname, '..', '..', 'prompts', 'oneonone');

let cached: QuestionBank | undefined;

/**
 * Reads and validates the bank.
 * @throws Error naming the file and every problem when the YAML is not a valid bank.
 */
export function loadQuestionBank(file = path.join(PROMPTS_DIR, 'questions.yaml')): QuestionBank {
  if (cached && file === path.join(PROMPTS_DIR, 'questions.yaml')) return cached;
  const parsed = bankSchema.safeParse(YAML.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(`invalid 1on1 question bank ${file}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  if (file === path.join(PROMPTS_DIR, 'questions.yaml')) cached = parsed.data;
  return parsed.data;
}

/** What the offline choice may know about the member: only what they shared, already filtered. */
export interface SelectionInput {
  /** Shared theme words and shared lessons, used to find theme keys. */
  sharedText: string[];
  /** A shared lesson to quote in `{lesson}` questions, if any. */
  lesson?: string;
  /** A shared theme word for `{theme}` questions, if any. */
  theme?: string;
  /** Question ids suggested in recent requests about this member, most recent request first. */
  recent: string[][];
  locale: Locale;
}

export interface ChosenQuestion {
  id: string;
  category: Category;
  text: string;
  /** Theme keys that made this question a good fit (empty for general questions). */
  matchedThemes: string[];
}

export interface OfflineSelection {
  questions: ChosenQuestion[];
  opening: { id: string; text: string };
}

/** How many past requests make a question "recent" (not to be repeated). */
export const RECENT_REQUESTS = 3;
const MAX_QUOTE_CHARS = 60;

/** The theme keys whose words occur in the shared text (case-insensitive substring match). */
export function themeKeysIn(bank: QuestionBank, texts: string[]): Set<string> {
  const haystack = texts.join('\n').normalize('NFKC').toLowerCase();
  const keys = new Set<string>();
  for (const [key, words] of Object.entries(bank.themes)) {
    if (words.some((w) => haystack.includes(w.normalize('NFKC').toLowerCase()))) keys.add(key);
  }
  return keys;
}

/**
 * Chooses 5–7 questions: the best available one in each category, then up to two more that match
 * the member's shared themes. "Best" = fits the shared themes (a question quoting a shared lesson
 * fits best), then least recently suggested, then bank order. Questions of the last
 * {@link RECENT_REQUESTS} requests are skipped while a category still has others.
 */
export function chooseFromBank(bank: QuestionBank, input: SelectionInput): OfflineSelection {
  const keys = themeKeysIn(bank, input.sharedText);
  const recentWindow = new Set(input.recent.slice(0, RECENT_REQUESTS).flat());
  // Age of each id's last suggestion: 0 = the last request; never suggested = Infinity.
  const lastSeen = new Map<string, number>();
  input.recent.forEach((ids, age) => ids.forEach((id) => (lastSeen.has(id) ? undefined : lastSeen.set(id, age))));

  const usable = bank.questions.filter((q) => (q.needs === 'lesson' ? !!input.lesson : q.needs === 'theme' ? !!input.theme : true));
  const scored = usable.map((q, order) => {
    const matched = q.themes.filter((t) => keys.has(t));
    const score = matched.length + (q.needs ? 2 : 0);
    return { q, order, matched, score, age: lastSeen.get(q.id) ?? Number.POSITIVE_INFINITY, recent: recentWindow.has(q.id) };
  });
  const rank = (a: (typeof scored)[number], b: (typeof scored)[number]) =>
    Number(a.recent) - Number(b.recent) || b.score - a.score || b.age - a.age || a.order - b.order;

  const chosen: typeof scored = [];
  // Quoting the same shared lesson (or theme) twice in one 1on1 would feel like an interrogation.
  const needUsed = (s: (typeof scored)[number]) => !!s.q.needs && chosen.some((c) => c.q.needs === s.q.needs);
  for (const category of CATEGORIES) {
    const best = scored.filter((s) => s.q.category === category && !needUsed(s)).sort(rank)[0];
    if (best) chosen.push(best);
  }
  const extraCategories = new Set<Category>();
  for (const s of [...scored].sort(rank)) {
    if (extraCategories.size === 2) break;
    if (chosen.includes(s) || s.recent || s.score === 0 || needUsed(s) || extraCategories.has(s.q.category)) continue;
    extraCategories.add(s.q.category); // at most one extra per category
    chosen.push(s);
  }
  chosen.sort((a, b) => CATEGORIES.indexOf(a.q.category) - CATEGORIES.indexOf(b.q.category));

  const fill = (text: string) =>
    text.replace('{lesson}', quote(input.lesson ?? '')).replace('{theme}', quote(input.theme ?? ''));
  const shared = input.sharedText.length > 0;
  const openings = bank.openings.filter((o) => !o.needs || shared);
  // Rotate openings with the number of past requests so consecutive 1on1s open differently.
  const recentOpenings = new Set(input.recent.slice(0, RECENT_REQUESTS).flat());
  const opening =
    (shared ? openings.find((o) => o.needs && !recentOpenings.has(o.id)) : undefined) ??
    openings.find((o) => !recentOpenings.has(o.id)) ??
    openings[input.recent.length % openings.length]!;
  return {
    questions: chosen.map((s) => ({ id: s.q.id, category: s.q.category, text: fill(s.q[input.locale]), matchedThemes: s.matched })),
    opening: { id: opening.id, text: opening[input.locale] },
  };
}

function quote(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const chars = [...oneLine];
  return chars.length <= MAX_QUOTE_CHARS ? oneLine : `${chars.slice(0, MAX_QUOTE_CHARS).join('')}…`;
}
