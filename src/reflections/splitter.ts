/**
 * An answer written in one message is split into the four steps by the language model when one
 * is configured; offline (or when the model fails) it is kept whole as the experience.
 * The model only sorts the person's own words; its output is validated and never trusted blindly.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { Logger } from 'pino';
import { z } from 'zod';
import { callWithRetries } from '../llm';
import { REFLECTION_PROMPTS_DIR } from './texts';
import type { EntryField } from './reflection-repository';

export interface SplitAnswer {
  fields: Partial<Record<EntryField, string>>;
  themes: string[];
  /** True when the model split it; false when kept whole. */
  split: boolean;
}

const part = z
  .string()
  .nullish()
  .transform((v) => (v && v.trim() !== '' ? v.trim().slice(0, 4000) : undefined));

const splitSchema = z.object({
  experience: part,
  reflection: part,
  lesson: part,
  experiment: part,
  themes: z
    .array(z.string())
    .nullish()
    .transform((v) => (v ?? []).map((t) => t.trim()).filter((t) => t !== '' && t.length <= 40).slice(0, 3)),
});

/** Long enough, or in several lines, to be worth splitting: likely the whole cycle in one go. */
export function looksLikeWholeCycle(text: string): boolean {
  return [...text].length >= 120 || text.split(/\n+/).filter((l) => l.trim() !== '').length >= 3;
}

let instructions: string | undefined;

/** Splits `text`; never throws (falls back to keeping it whole). */
export async function splitAnswer(text: string, model: BaseChatModel | undefined, logger: Logger, options: { maxRetries: number; budgetMs: number }): Promise<SplitAnswer> {
  const whole: SplitAnswer = { fields: { experience: text }, themes: [], split: false };
  if (!model) return whole;
  instructions ??= fs.readFileSync(path.join(REFLECTION_PROMPTS_DIR, 'split.md'), 'utf8');
  try {
    const message = await callWithRetries(
      (signal) => model.invoke([new SystemMessage(instructions!), new HumanMessage(text)], { signal }),
      { maxRetries: options.maxRetries, budgetMs: options.budgetMs },
    );
    const content = typeof message.content === 'string' ? message.content : message.content.map((c) => ('text' in c ? c.text : '')).join('');
    const json = /\{[\s\S]*\}/.exec(content)?.[0];
    if (!json) throw new Error('no JSON object in the reply');
    const parsed = splitSchema.parse(JSON.parse(json));
    const fields: Partial<Record<EntryField, string>> = {};
    for (const key of ['experience', 'reflection', 'lesson', 'experiment'] as const) if (parsed[key]) fields[key] = parsed[key];
    if (Object.keys(fields).length === 0) return whole;
    return { fields, themes: parsed.themes, split: true };
  } catch (error) {
    // No message text in logs: only what went wrong.
    logger.warn({ err: { name: (error as Error).name, message: (error as Error).message?.slice(0, 200) } }, 'reflection split failed; kept whole');
    return whole;
  }
}
