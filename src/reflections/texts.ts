/**
 * The reflection texts (invitation, step questions, reminder, four-weekly summary) live as data in
 * `prompts/reflection/{ja,en}.yaml`. They are loaded once and checked, so a missing key fails at
 * start-up rather than in front of a person.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import type { Locale } from '../core/types';

const step = z.object({ label: z.string(), question: z.string() });

const textsSchema = z.object({
  invitation: z.object({ title: z.string(), text: z.string(), accept: z.string(), later: z.string(), accepted: z.string(), declined: z.string() }),
  prompt: z.object({ title: z.string(), opening: z.string(), recall: z.string() }),
  reminder: z.object({ title: z.string(), text: z.string() }),
  steps: z.object({ outcome: step, experience: step, reflection: step, lesson: step, experiment: step }),
  step_title: z.string(),
  answer_label: z.string(),
  answer_placeholder: z.string(),
  submit: z.string(),
  skip: z.string(),
  stop: z.string(),
  skip_hint: z.string(),
  saved_title: z.string(),
  saved: z.string(),
  saved_no_experiment: z.string(),
  stopped: z.string(),
  nothing_saved: z.string(),
  split_note: z.string(),
  stale_action: z.string(),
  summary: z.object({
    title: z.string(),
    intro: z.string(),
    lessons: z.string(),
    themes: z.string(),
    opportunity: z.string(),
    deadline: z.string(),
    no_lessons: z.string(),
    closing: z.string(),
  }),
  labels: z.object({
    entry_experience: z.string(),
    entry_reflection: z.string(),
    entry_lesson: z.string(),
    entry_experiment: z.string(),
    entry_outcome: z.string(),
  }),
});

export type ReflectionTexts = z.infer<typeof textsSchema>;

/** The folder holding the reflection prompts. */
export const REFLECTION_PROMPTS_DIR = path.resolve(__dirname, '..', '..', 'prompts', 'reflection');

const cache = new Map<Locale, ReflectionTexts>();

/** The texts of one language. @throws Error naming the file and the missing or wrong keys. */
export function reflectionTexts(locale: Locale): ReflectionTexts {
  const cached = cache.get(locale);
  if (cached) return cached;
  const file = path.join(REFLECTION_PROMPTS_DIR, `${locale}.yaml`);
  const parsed = textsSchema.safeParse(YAML.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  }
  cache.set(locale, parsed.data);
  return parsed.data;
}

/** Replaces `{name}` placeholders; unknown ones stay visible so a mistake is noticed. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
