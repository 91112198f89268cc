/**
 * `tsumiki import-org FILE.csv`: loads the organisation. Bad rows are reported by line
 * number and skipped; good rows are imported; nothing stored is ever deleted.
 */
import { parse } from 'csv-parse/sync';
import { isValidTimeZone } from '../core/time';
import type { OrgRecord, PeopleRepository } from './people-repository';
import type { Db } from '../storage/database';

export const ORG_COLUMNS = [
  'employee_id',
  'name',
  'email',
  'manager_id',
  'slack_user_id',
  'teams_aad_object_id',
  'timezone',
  'locale',
] as const;

export interface OrgRowProblem {
  line: number;
  reason: string;
}

export interface OrgImportResult {
  created: number;
  updated: number;
  problems: OrgRowProblem[];
  /** Managers named by someone but absent from the file and the database (kept as given). */
  unknownManagers: string[];
}

export class OrgFileError extends Error {}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const EMPLOYEE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses CSV text into validated records; throws OrgFileError only when the file as a whole is unusable. */
export function parseOrgCsv(text: string): { records: Array<OrgRecord & { line: number }>; problems: OrgRowProblem[] } {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new OrgFileError('the file is empty; expected a header row: ' + ORG_COLUMNS.join(','));
  let rows: string[][];
  try {
    rows = parse(body, { relax_column_count: true, skip_empty_lines: true, trim: true, info: false }) as string[][];
  } catch (error) {
    throw new OrgFileError(`not valid CSV: ${(error as Error).message}`);
  }
  const header = (rows[0] ?? []).map((h) => h.toLowerCase());
  const missing = ORG_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new OrgFileError(`the header lacks ${missing.join(', ')}; expected: ${ORG_COLUMNS.join(',')}`);
  }
  const col = (name: (typeof ORG_COLUMNS)[number]) => header.indexOf(name);
  const problems: OrgRowProblem[] = [];
  const records: Array<OrgRecord & { line: number }> = [];
  const seen = new Map<string, number>();
  // Line numbers count the header as line 1; csv-parse skipped blank lines, so recount from the text.
  const lineNumbers = dataLineNumbers(body);
  rows.slice(1).forEach((row, index) => {
    const line = lineNumbers[index] ?? index + 2;
    const get = (name: (typeof ORG_COLUMNS)[number]) => (row[col(name)] ?? '').trim();
    const reasons: string[] = [];
    if (row.length !== header.length) reasons.push(`expected ${header.length} columns, found ${row.length}`);
    const employeeId = get('employee_id');
    if (!EMPLOYEE_ID.test(employeeId)) reasons.push('employee_id is missing or has characters other than letters, digits, . _ -');
    const name = get('name');
    if (name === '') reasons.push('name is empty');
    const email = get('email');
    if (email !== '' && !EMAIL.test(email)) reasons.push(`email "${email}" is not an e-mail address`);
    const manager = get('manager_id');
    if (manager !== '' && manager === employeeId) reasons.push('manager_id is the person themselves');
    const slack = get('slack_user_id');
    if (slack !== '' && !SLACK_USER.test(slack)) reasons.push(`slack_user_id "${slack}" is not a Slack user id such as U0123ABCD`);
    const teams = get('teams_aad_object_id');
    if (teams !== '' && !GUID.test(teams)) reasons.push('teams_aad_object_id is not a GUID');
    const timezone = get('timezone');
    if (timezone !== '' && !isValidTimeZone(timezone)) reasons.push(`timezone "${timezone}" is not an IANA time zone such as Asia/Tokyo`);
    const locale = get('locale').toLowerCase();
    if (locale !== '' && locale !== 'ja' && locale !== 'en') reasons.push(`locale "${locale}" must be ja or en`);
    if (employeeId && seen.has(employeeId)) reasons.push(`employee_id ${employeeId} already appears on line ${seen.get(employeeId)}`);
    if (reasons.length > 0) {
      problems.push({ line, reason: reasons.join('; ') });
      return;
    }
    seen.set(employeeId, line);
    records.push({
      line,
      employeeId,
      name,
      email: email || null,
      managerEmployeeId: manager || null,
      slackUserId: slack || null,
      teamsAadObjectId: teams || null,
      timezone: timezone || null,
      locale: (locale || null) as OrgRecord['locale'],
    });
  });
  return { records, problems };
}

/** Imports validated records in one transaction. */
export function importOrg(db: Db, people: PeopleRepository, text: string): OrgImportResult {
  const { records, problems } = parseOrgCsv(text);
  let created = 0;
  let updated = 0;
  db.transaction(() => {
    for (const record of records) {
      try {
        const result = people.upsertFromOrg(record);
        if (result.created) created += 1;
        else updated += 1;
      } catch (error) {
        problems.push({ line: record.line, reason: conflictReason(error) });
      }
    }
  })();
  const known = new Set(people.allMembers().map((p) => p.employeeId));
  const unknownManagers = [...new Set(records.map((r) => r.managerEmployeeId).filter((m): m is string => !!m && !known.has(m)))];
  problems.sort((a, b) => a.line - b.line);
  return { created, updated, problems, unknownManagers };
}

function conflictReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/UNIQUE/.test(message)) return 'a Slack or Teams id on this row already belongs to another employee';
  return message;
}

function dataLineNumbers(text: string): number[] {
  const lines = text.split(/\r?\n/);
  const result: number[] = [];
  let inQuotes = false;
  let headerSeen = false;
  let start = 0;
  lines.forEach((line, i) => {
    if (!inQuotes) start = i + 1;
    const quotes = (line.match(/"/g) ?? []).length;
    if (quotes % 2 === 1) inQuotes = !inQuotes;
    if (inQuotes) return;
    if (lines.slice(start - 1, i + 1).join('').trim() === '') return;
    if (!headerSeen) {
      headerSeen = true;
      return;
    }
    result.push(start);
  });
  return result;
}
