/**
 * Reading documents from files: Markdown with YAML front matter, CSV batches and JSON batches.
 * Every record is validated against the document format of the operator contract; a bad file
 * or record yields a problem with a reason and never stops the others.
 */
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import YAML from 'yaml';
import { z } from 'zod';
import type { DocumentKind, Locale } from '../core/types';

/** A validated document, before chunking. */
export interface ParsedDocument {
  id: string;
  kind: DocumentKind;
  title: string;
  lang: Locale;
  url: string;
  skills: string[];
  deadline: string | null;
  metadata: DocumentMetadata;
  /** Markdown body. */
  body: string;
}

export interface DocumentMetadata {
  department?: string;
  location?: string;
  eligibility?: string;
  format?: string;
  hours?: number;
  level?: string;
  duration?: string;
}

export interface ParseResult {
  documents: ParsedDocument[];
  /** Reasons, each already prefixed with the record when the file is a batch. */
  problems: string[];
}

/** File types the ingester reads; everything else under the data folder is reported as unsupported. */
export const SUPPORTED_EXTENSIONS = ['.md', '.markdown', '.csv', '.json'] as const;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const text = z.string().trim().min(1, 'must not be empty');
const optionalText = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .optional()
  .transform((v) => (v === '' ? undefined : v));

/** YAML turns `deadline: 2026-09-30` into a Date; CSV and JSON give strings. Both end as `YYYY-MM-DD`. */
const isoDate = z
  .union([z.string(), z.date()], { message: 'is not an ISO date (YYYY-MM-DD)' })
  .transform((v, ctx) => {
    const value = v instanceof Date ? (Number.isNaN(v.getTime()) ? 'invalid' : v.toISOString().slice(0, 10)) : v.trim();
    if (!isRealDate(value)) {
      ctx.addIssue({ code: 'custom', message: `is not an ISO date (YYYY-MM-DD): ${String(v).slice(0, 40)}` });
      return z.NEVER;
    }
    return value;
  });

const skillList = z
  .union([z.array(z.union([z.string(), z.number()])), z.string()])
  .transform((v) =>
    (Array.isArray(v) ? v.map(String) : v.split(/[;|,、]/))
      .map((s) => s.trim())
      .filter(Boolean),
  );

const documentSchema = z.object({
  id: z
    .union([z.string(), z.number()], { message: 'is missing' })
    .transform((v) => String(v).trim())
    .pipe(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'must be letters, digits, ".", "_" or "-" (for example trn-001)')),
  kind: z.enum(['training', 'posting', 'shadowing', 'guide'], { message: 'must be training, posting, shadowing or guide' }),
  title: text,
  lang: z.enum(['ja', 'en'], { message: 'must be ja or en' }),
  url: z
    .string({ message: 'is missing' })
    .trim()
    .regex(/^https?:\/\/\S+$/i, 'must be an http(s) URL'),
  skills: skillList.optional().default([]),
  deadline: z
    .unknown()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === null || v === '') return null;
      const parsed = isoDate.safeParse(v);
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', message: parsed.error.issues[0]?.message ?? 'is not an ISO date (YYYY-MM-DD)' });
        return z.NEVER;
      }
      return parsed.data;
    }),
  department: optionalText,
  location: optionalText,
  eligibility: optionalText,
  format: optionalText,
  hours: z
    .union([z.number(), z.string()])
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return undefined;
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) {
        ctx.addIssue({ code: 'custom', message: 'must be a non-negative number of hours' });
        return z.NEVER;
      }
      return n;
    }),
  level: optionalText,
  duration: optionalText,
});

/** Describes zod issues as "field reason; field reason". */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.join('.') || 'document';
      const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is missing' : issue.message;
      return `${field} ${message}`;
    })
    .join('; ');
}

/** Validates one record (front matter or batch row) with its body. */
export function validateRecord(record: Record<string, unknown>, body: string): { document?: ParsedDocument; problem?: string } {
  // An empty CSV cell means the field is absent.
  const present = Object.fromEntries(Object.entries(record).filter(([, v]) => !(typeof v === 'string' && v.trim() === '')));
  const parsed = documentSchema.safeParse(present);
  if (!parsed.success) return { problem: describeIssues(parsed.error) };
  const d = parsed.data;
  const requiredByKind: Partial<Record<DocumentKind, Array<keyof typeof d>>> = {
    posting: ['department', 'deadline'],
  };
  const missing = (requiredByKind[d.kind] ?? []).filter((field) => d[field] === undefined || d[field] === null);
  if (missing.length > 0) return { problem: missing.map((f) => `${String(f)} is missing (required for a ${d.kind})`).join('; ') };
  if (body.trim() === '') return { problem: 'the document has no body text' };
  const metadata: DocumentMetadata = {};
  for (const key of ['department', 'location', 'eligibility', 'format', 'level', 'duration'] as const) {
    if (d[key] !== undefined) metadata[key] = d[key];
  }
  if (d.hours !== undefined) metadata.hours = d.hours;
  return {
    document: {
      id: d.id,
      kind: d.kind,
      title: d.title,
      lang: d.lang,
      url: d.url,
      skills: d.skills,
      deadline: d.deadline,
      metadata,
      body: body.replace(/\r\n?/g, '\n').trim(),
    },
  };
}

const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/** A Markdown file: YAML front matter between `---` lines, then the body. */
export function parseMarkdown(content: string): ParseResult {
  const match = FRONT_MATTER.exec(content);
  if (!match) return { documents: [], problems: ['no YAML front matter (the file must start with a --- line)'] };
  let data: unknown;
  try {
    const doc = YAML.parseDocument(match[1] ?? '', { prettyErrors: false });
    if (doc.errors.length > 0) {
      const first = doc.errors[0]!;
      const line = first.linePos?.[0]?.line;
      return { documents: [], problems: [`invalid YAML front matter${line ? ` (line ${line + 1})` : ''}: ${first.message.split('\n')[0]}`] };
    }
    data = doc.toJS();
  } catch (error) {
    return { documents: [], problems: [`invalid YAML front matter: ${(error as Error).message.split('\n')[0]}`] };
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    return { documents: [], problems: ['the front matter is not a mapping of fields (id, kind, title, …)'] };
  }
  const result = validateRecord(data as Record<string, unknown>, content.slice(match[0].length));
  return result.document ? { documents: [result.document], problems: [] } : { documents: [], problems: [result.problem!] };
}

function label(index: number, record: Record<string, unknown>, unit: string): string {
  const id = (typeof record.id === 'string' && record.id.trim()) || typeof record.id === 'number' ? ` (id ${String(record.id).trim()})` : '';
  return `${unit} ${index}${id}`;
}

function parseRecords(records: unknown[], unit: string, firstIndex: number): ParseResult {
  const result: ParseResult = { documents: [], problems: [] };
  records.forEach((raw, i) => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      result.problems.push(`${unit} ${i + firstIndex}: not an object with document fields`);
      return;
    }
    const record = raw as Record<string, unknown>;
    const body = typeof record.body === 'string' ? record.body : '';
    const { document, problem } = validateRecord(record, body);
    if (document) result.documents.push(document);
    else result.problems.push(`${label(i + firstIndex, record, unit)}: ${problem}`);
  });
  return result;
}

/** A CSV batch: a header row with the front-matter fields and `body`; skills separated by `;`. */
export function parseCsvBatch(content: string): ParseResult {
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(content, { columns: true, skip_empty_lines: true, bom: true, trim: false, relax_column_count: false });
  } catch (error) {
    return { documents: [], problems: [`invalid CSV: ${(error as Error).message.split('\n')[0]}`] };
  }
  if (rows.length === 0) return { documents: [], problems: ['the CSV has a header but no rows'] };
  // Line 1 is the header, so the first record is row 2 as a spreadsheet shows it.
  return parseRecords(rows, 'row', 2);
}

/** A JSON batch: an array of objects with the front-matter fields and `body`. */
export function parseJsonBatch(content: string): ParseResult {
  let data: unknown;
  try {
    data = JSON.parse(content);
  } catch (error) {
    return { documents: [], problems: [`invalid JSON: ${(error as Error).message}`] };
  }
  const records = Array.isArray(data) ? data : data && typeof data === 'object' && Array.isArray((data as { documents?: unknown }).documents) ? (data as { documents: unknown[] }).documents : undefined;
  if (!records) return { documents: [], problems: ['the JSON must be an array of documents'] };
  if (records.length === 0) return { documents: [], problems: ['the JSON array is empty'] };
  return parseRecords(records, 'item', 1);
}

/** Dispatches on the file extension. */
export function parseDocumentFile(relativePath: string, content: string): ParseResult {
  const ext = path.extname(relativePath).toLowerCase();
  if (ext === '.csv') return parseCsvBatch(content);
  if (ext === '.json') return parseJsonBatch(content);
  return parseMarkdown(content);
}
