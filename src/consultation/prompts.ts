/**
 * The consultation's prompts and curated texts, loaded once from `prompts/consultation/` and
 * validated, so a broken edit fails at start with the file's name instead of mid-conversation.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import type { DocumentKind, Locale } from '../core/types';

export const CONSULTATION_PROMPTS_DIR = path.resolve(__dirname, '..', '..', 'prompts', 'consultation');

const localeTexts = z.object({ ja: z.string().min(1), en: z.string().min(1) });
const kinds = ['training', 'posting', 'shadowing', 'guide'] as const;

const reflectiveSchema = z.object({
  general: z.object({ ja: z.array(z.string().min(1)).min(1), en: z.array(z.string().min(1)).min(1) }),
  by_kind: z.partialRecord(z.enum(kinds), localeTexts),
  sensitive: localeTexts,
});

export const SENSITIVE_TOPICS = ['distress', 'health', 'harassment'] as const;
export type SensitiveTopic = (typeof SENSITIVE_TOPICS)[number];

const safetySchema = z.object({
  topics: z.object({ distress: z.array(z.string().min(1)), health: z.array(z.string().min(1)), harassment: z.array(z.string().min(1)) }),
  referral: localeTexts,
  model_note: localeTexts,
});

const offlineLocaleSchema = z.object({
  acknowledge: z.string(),
  offline_notice: z.string(),
  fault_notice: z.string(),
  intro: z.string(),
  none: z.string(),
  reasons: z.object({
    skills: z.string(),
    content: z.string(),
    deadline: z.string(),
    format: z.string(),
    hours: z.string(),
    level: z.string(),
    department: z.string(),
  }),
  kinds: z.record(z.enum(kinds), z.string()),
  formats: z.record(z.string(), z.string()),
  closing: z.string(),
});
const offlineSchema = z.object({ ja: offlineLocaleSchema, en: offlineLocaleSchema });

export type OfflineTexts = z.infer<typeof offlineLocaleSchema>;

export interface ConsultationPrompts {
  /** System prompt templates with `{context}`, `{consultant_contact}`, `{sensitive_note}`. */
  system: Record<Locale, string>;
  /** Instructions for rewriting a follow-up into a stand-alone query. */
  rewrite: Record<Locale, string>;
  reflective: {
    general: Record<Locale, string[]>;
    byKind: Partial<Record<DocumentKind, Record<Locale, string>>>;
    sensitive: Record<Locale, string>;
  };
  safety: {
    topics: Record<SensitiveTopic, string[]>;
    referral: Record<Locale, string>;
    modelNote: Record<Locale, string>;
  };
  offline: Record<Locale, OfflineTexts>;
}

let cached: ConsultationPrompts | undefined;

function read(dir: string, file: string): string {
  const full = path.join(dir, file);
  try {
    return fs.readFileSync(full, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the consultation prompt ${full}: ${(error as Error).message}`);
  }
}

function parseYaml<T>(dir: string, file: string, schema: z.ZodType<T>): T {
  const result = schema.safeParse(YAML.parse(read(dir, file)));
  if (!result.success) {
    throw new Error(`${path.join(dir, file)} is malformed: ${result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  }
  return result.data;
}

/** Loads (once per directory) and validates every consultation prompt. */
export function loadConsultationPrompts(dir = CONSULTATION_PROMPTS_DIR): ConsultationPrompts {
  if (cached && dir === CONSULTATION_PROMPTS_DIR) return cached;
  const reflective = parseYaml(dir, 'reflective-questions.yaml', reflectiveSchema);
  const safety = parseYaml(dir, 'safety.yaml', safetySchema);
  const prompts: ConsultationPrompts = {
    system: { ja: read(dir, 'ja/system.md'), en: read(dir, 'en/system.md') },
    rewrite: { ja: read(dir, 'ja/rewrite.md'), en: read(dir, 'en/rewrite.md') },
    reflective: { general: reflective.general, byKind: reflective.by_kind, sensitive: reflective.sensitive },
    safety: { topics: safety.topics, referral: safety.referral, modelNote: safety.model_note },
    offline: parseYaml(dir, 'offline.yaml', offlineSchema),
  };
  if (dir === CONSULTATION_PROMPTS_DIR) cached = prompts;
  return prompts;
}

/** Replaces `{name}` placeholders in curated texts (not prompt templates, which LangChain fills). */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (all, key: string) => (key in values ? String(values[key]) : all));
}
