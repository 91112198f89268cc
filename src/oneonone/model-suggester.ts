/**
 * Model-generated 1on1 questions from the prompt in prompts/oneonone/suggest.md. The model is
 * given only the member's SharedContext (no name, nothing unshared) and the recently suggested
 * questions; its answer is checked in code (JSON shape, categories, no links) and any failure
 * returns undefined so the caller falls back to the curated bank.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Locale } from '../core/types';
import { callWithRetries } from '../llm';
import { stripForeignLinks } from '../privacy/output-guard';
import { CATEGORIES, PROMPTS_DIR, type Category } from './question-bank';
import type { SharedContext } from './shared-context';

export interface GeneratedSuggestion {
  opening: string;
  questions: Array<{ category: Category; text: string }>;
}

export interface SuggestPromptTemplate {
  system: string;
  user: string;
}

let cachedPrompt: SuggestPromptTemplate | undefined;

/** Reads the two sections of prompts/oneonone/suggest.md (HTML comments are notes for maintainers). */
export function loadSuggestPrompt(file = path.join(PROMPTS_DIR, 'suggest.md')): SuggestPromptTemplate {
  if (cachedPrompt && file === path.join(PROMPTS_DIR, 'suggest.md')) return cachedPrompt;
  const text = fs.readFileSync(file, 'utf8').replace(/<!--[\s\S]*?-->/g, '');
  const system = /^## system\s*$([\s\S]*?)(?=^## user\s*$)/m.exec(text)?.[1]?.trim();
  const user = /^## user\s*$([\s\S]*)$/m.exec(text)?.[1]?.trim();
  if (!system || !user) throw new Error(`${file} must have a "## system" and a "## user" section`);
  const prompt = { system, user };
  if (file === path.join(PROMPTS_DIR, 'suggest.md')) cachedPrompt = prompt;
  return prompt;
}

const LANGUAGE: Record<Locale, string> = { ja: 'Japanese (日本語, polite です/ます form)', en: 'English' };

/** The shared context as prompt text. Only fields of SharedContext exist here, by construction. */
export function describeShared(context: SharedContext): string {
  const lines: string[] = [];
  if (context.themes.length > 0) lines.push(`Themes: ${context.themes.join(', ')}`);
  for (const entry of context.entries) {
    const parts = [
      entry.experience && `experience: ${entry.experience}`,
      entry.lesson && `lesson: ${entry.lesson}`,
      entry.experiment && `next try: ${entry.experiment}`,
    ].filter(Boolean);
    if (parts.length > 0) lines.push(`- (${entry.createdAt.slice(0, 10)}) ${parts.join(' / ')}`);
  }
  return lines.length > 0 ? lines.join('\n') : '(nothing shared: suggest good general questions)';
}

/** Fills `{name}` placeholders. */
function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (all, key: string) => values[key] ?? all);
}

/** Builds the messages sent to the model. Exported so tests can check exactly what leaves the process. */
export function buildSuggestMessages(context: SharedContext, recentQuestions: string[], locale: Locale): Array<SystemMessage | HumanMessage> {
  const prompt = loadSuggestPrompt();
  const values = {
    language: LANGUAGE[locale],
    shared: describeShared(context),
    recent: recentQuestions.length > 0 ? recentQuestions.map((q) => `- ${q}`).join('\n') : '(none)',
  };
  return [new SystemMessage(fill(prompt.system, values)), new HumanMessage(fill(prompt.user, values))];
}

const answerSchema = z.object({
  opening: z.string().trim().min(1).max(400),
  questions: z
    .array(z.object({ category: z.enum(CATEGORIES), text: z.string().trim().min(4).max(400) }))
    .min(5)
    .max(10),
});

/** Parses the model's answer: the first JSON object in it (models like to wrap JSON in ``` fences). */
export function parseGenerated(text: string): GeneratedSuggestion | undefined {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text.slice(start, end + 1));
  } catch {
    return undefined;
  }
  const parsed = answerSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const clean = (s: string) => stripForeignLinks(s, []).text.replace(/\s+/g, ' ').trim();
  return {
    opening: clean(parsed.data.opening),
    questions: parsed.data.questions.map((q) => ({ category: q.category, text: clean(q.text) })).filter((q) => q.text.length > 0),
  };
}

export interface SuggestOptions {
  timeoutMs: number;
  maxRetries: number;
  logger: Logger;
  signal?: AbortSignal;
}

/**
 * Asks the model for suggestions. Returns undefined on any failure (timeout, HTTP error,
 * unusable answer); the caller then uses the bank.
 */
export async function generateSuggestions(
  model: BaseChatModel,
  context: SharedContext,
  recentQuestions: string[],
  locale: Locale,
  options: SuggestOptions,
): Promise<GeneratedSuggestion | undefined> {
  const messages = buildSuggestMessages(context, recentQuestions, locale);
  try {
    const message = await callWithRetries((signal) => model.invoke(messages, { signal }), {
      maxRetries: options.maxRetries,
      budgetMs: options.timeoutMs,
      signal: options.signal,
    });
    const text = typeof message.content === 'string' ? message.content : message.text;
    const parsed = parseGenerated(text);
    if (!parsed) options.logger.warn('1on1: the model answer was not usable; using the question bank');
    return parsed;
  } catch (error) {
    options.logger.warn({ err: error }, '1on1: the model failed; using the question bank');
    return undefined;
  }
}
