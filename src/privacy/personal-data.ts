/**
 * Everything stored about one person, found from the schema itself rather than from a list kept
 * by hand: a table is personal when it has a foreign key to `people` or to another personal
 * table. Export and erasure both walk this graph, so a table added by a later migration is
 * exported and erased without anyone remembering to add it here.
 */
import type { Db } from '../storage/database';
import { subjectHash } from './pseudonym';

/** One foreign key from a personal table towards `people` (directly or through a parent). */
export interface PersonalLink {
  column: string;
  parentTable: string;
  parentColumn: string;
  onDelete: string;
}

export interface PersonalTable {
  name: string;
  links: PersonalLink[];
  /** 1 = references people directly; 2 = through one personal parent; … */
  depth: number;
}

/**
 * Columns never handed out in an export: secrets (a pending confirmation token) and technical
 * routing data that means nothing to a person (the Teams conversation reference).
 */
const WITHHELD_COLUMNS: Record<string, Record<string, string>> = {
  pending_confirmations: { token: '[withheld: one-time confirmation code]' },
  identities: { conversation_ref: '[withheld: technical address used to reach you in Teams]' },
};

/**
 * Rows linked to the person through the given column show only part of the row, because the
 * rest belongs to someone else. A manager's export lists the 1on1 preparations they asked for
 * (whom, when) but not the suggested questions, which may draw on what the member shared.
 */
const REDACT_WHEN_LINKED_BY: Record<string, Record<string, string[]>> = {
  oneonone_requests: { manager_person_id: ['suggested'] },
};

interface SqliteMasterRow {
  name: string;
  sql: string | null;
}

interface ForeignKeyRow {
  table: string;
  from: string;
  to: string | null;
  on_delete: string;
}

function userTables(db: Db): string[] {
  const rows = db
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as SqliteMasterRow[];
  return rows.filter((r) => !/^\s*CREATE\s+VIRTUAL\s+TABLE/i.test(r.sql ?? '')).map((r) => r.name);
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/** Every table holding something about a person, with how it links to `people`, nearest first. */
export function personalTables(db: Db): PersonalTable[] {
  const tables = userTables(db).filter((t) => t !== 'people');
  const keys = new Map<string, ForeignKeyRow[]>();
  for (const t of tables) keys.set(t, db.prepare(`SELECT * FROM pragma_foreign_key_list(?)`).all(t) as ForeignKeyRow[]);
  const result = new Map<string, PersonalTable>();
  const personal = new Set(['people']);
  // Breadth-first: depth 1 references people, depth 2 references a depth-1 table, and so on.
  for (let depth = 1; depth <= 6; depth += 1) {
    const found: PersonalTable[] = [];
    for (const t of tables) {
      if (result.has(t)) continue;
      const links = (keys.get(t) ?? [])
        .filter((k) => personal.has(k.table))
        .map((k) => ({ column: k.from, parentTable: k.table, parentColumn: k.to ?? 'id', onDelete: k.on_delete }));
      if (links.length > 0) found.push({ name: t, links, depth });
    }
    if (found.length === 0) break;
    for (const f of found) {
      result.set(f.name, f);
      personal.add(f.name);
    }
  }
  // Later tables may add links to tables found after them (e.g. a depth-1 table also pointing at a depth-2 one).
  for (const table of result.values()) {
    table.links = (keys.get(table.name) ?? [])
      .filter((k) => personal.has(k.table))
      .map((k) => ({ column: k.from, parentTable: k.table, parentColumn: k.to ?? 'id', onDelete: k.on_delete }));
  }
  // Parents before children (longest path from people), so erasure can walk the list backwards.
  const level = new Map<string, number>([...result.keys()].map((n) => [n, 1]));
  for (let pass = 0; pass < result.size; pass += 1) {
    let changed = false;
    for (const table of result.values()) {
      for (const link of table.links) {
        if (link.parentTable === 'people' || link.parentTable === table.name) continue;
        const wanted = (level.get(link.parentTable) ?? 0) + 1;
        if (wanted > level.get(table.name)! && wanted <= result.size + 1) {
          level.set(table.name, wanted);
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  return [...result.values()].sort((a, b) => level.get(a.name)! - level.get(b.name)! || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Columns that look like a reference to a person but carry no foreign key to `people`:
 * such a column would escape export and erasure. The schema test fails when this is not empty.
 */
export function unlinkedPersonColumns(db: Db): Array<{ table: string; column: string }> {
  const found: Array<{ table: string; column: string }> = [];
  for (const t of userTables(db)) {
    if (t === 'people') continue;
    const columns = db.prepare('SELECT name FROM pragma_table_info(?)').all(t) as Array<{ name: string }>;
    const keys = db.prepare('SELECT * FROM pragma_foreign_key_list(?)').all(t) as ForeignKeyRow[];
    for (const c of columns) {
      if (!/(^|_)person_id$/.test(c.name)) continue;
      if (!keys.some((k) => k.from === c.name && k.table === 'people')) found.push({ table: t, column: c.name });
    }
  }
  return found;
}

/**
 * The SQL condition selecting the rows of `table` linked to the person bound as `@pid`,
 * following foreign keys up to `people`.
 */
function linkCondition(table: PersonalTable, byName: Map<string, PersonalTable>, seen: Set<string> = new Set()): string {
  const parts: string[] = [];
  for (const link of table.links) {
    if (link.parentTable === 'people') {
      parts.push(`${quote(link.column)} = @pid`);
      continue;
    }
    const parent = byName.get(link.parentTable);
    if (!parent || seen.has(parent.name) || parent.name === table.name) continue;
    const inner = linkCondition(parent, byName, new Set([...seen, table.name]));
    if (inner) parts.push(`${quote(link.column)} IN (SELECT ${quote(link.parentColumn)} FROM ${quote(parent.name)} WHERE ${inner})`);
  }
  return parts.length > 0 ? `(${parts.join(' OR ')})` : '';
}

/** Rows of each personal table linked to the person, in the same order as `personalTables`. */
function linkedRows(db: Db, personId: number): Array<{ table: PersonalTable; rows: Record<string, unknown>[] }> {
  const tables = personalTables(db);
  const byName = new Map(tables.map((t) => [t.name, t]));
  return tables.map((table) => {
    const condition = linkCondition(table, byName);
    const rows = condition
      ? (db.prepare(`SELECT * FROM ${quote(table.name)} WHERE ${condition}`).all({ pid: personId }) as Record<string, unknown>[])
      : [];
    return { table, rows };
  });
}

export interface PersonalExport {
  format: 'tsumiki-export';
  formatVersion: 1;
  exportedAt: string;
  /** What the file is, in both languages, for the person reading it. */
  about: { ja: string; en: string };
  person: Record<string, unknown>;
  /** Every personal table by name, each with the rows linked to the person (possibly none). */
  tables: Record<string, Record<string, unknown>[]>;
}

const ABOUT = {
  ja: 'Tsumiki があなたについて保存しているすべてのデータです。表ごとに、あなたに結びついた行を収めています。ほかの人を指す欄は、その人の名前だけを示しています。',
  en: 'Everything Tsumiki stores about you, table by table: every row linked to you. Columns that point at another person show only that person’s name.',
};

/** Everything stored about the person, or undefined when there is no such person. */
export function exportPersonalData(db: Db, personId: number, now: Date): PersonalExport | undefined {
  const person = db.prepare('SELECT * FROM people WHERE id = ?').get(personId) as Record<string, unknown> | undefined;
  if (!person) return undefined;
  const names = db.prepare('SELECT name FROM people WHERE id = ?');
  const tables: Record<string, Record<string, unknown>[]> = {};
  for (const { table, rows } of linkedRows(db, personId)) {
    const peopleColumns = table.links.filter((l) => l.parentTable === 'people').map((l) => l.column);
    tables[table.name] = rows.map((row) => {
      const out: Record<string, unknown> = { ...row };
      for (const [column, replacement] of Object.entries(WITHHELD_COLUMNS[table.name] ?? {})) {
        if (out[column] !== null && out[column] !== undefined) out[column] = replacement;
      }
      for (const column of peopleColumns) {
        const value = row[column];
        if (value === personId) {
          for (const hidden of REDACT_WHEN_LINKED_BY[table.name]?.[column] ?? []) delete out[hidden];
        } else if (value !== null && value !== undefined) {
          // Someone else: their name (people see who prepared a 1on1 about them), never their internal row.
          const other = names.get(value) as { name: string | null } | undefined;
          out[column] = { person: other?.name ?? null };
        }
      }
      return out;
    });
  }
  return { format: 'tsumiki-export', formatVersion: 1, exportedAt: now.toISOString(), about: ABOUT, person, tables };
}

export interface ErasureReport {
  /** Rows removed per table (the person row included), for the audit line; never contents. */
  deleted: Record<string, number>;
  subjectHash: string;
}

/**
 * The pseudonym under which a person's erasure is audited: their employee id, or for a guest
 * their first channel identity.
 */
export function subjectOf(db: Db, personId: number): string | undefined {
  const person = db.prepare('SELECT employee_id FROM people WHERE id = ?').get(personId) as { employee_id: string | null } | undefined;
  if (!person) return undefined;
  if (person.employee_id) return `employee:${person.employee_id}`;
  const identity = db.prepare('SELECT channel, external_id FROM identities WHERE person_id = ? ORDER BY id LIMIT 1').get(personId) as
    | { channel: string; external_id: string }
    | undefined;
  return identity ? `${identity.channel}:${identity.external_id}` : `person:${personId}`;
}

/**
 * Erases every row linked to the person in every table, then the person, in one transaction,
 * and writes one pseudonymous audit line. Deleted pages are overwritten (secure_delete) and the
 * WAL is checkpointed, so the text does not linger in the file either.
 * @param via who asked: 'chat' (the person themselves) or 'cli' (a request through HR).
 */
export function erasePerson(db: Db, personId: number, via: 'chat' | 'cli', now: Date): ErasureReport | undefined {
  const subject = subjectOf(db, personId);
  if (!subject) return undefined;
  const hash = subjectHash(db, subject);
  const previousSecureDelete = db.pragma('secure_delete', { simple: true }) as number;
  db.pragma('secure_delete = ON');
  try {
    const report = db.transaction((): ErasureReport => {
      const deleted: Record<string, number> = {};
      const employee = db.prepare('SELECT employee_id FROM people WHERE id = ?').get(personId) as { employee_id: string | null };
      // Deepest tables first: their conditions look up rows in the parents deleted after them.
      const linked = linkedRows(db, personId);
      const tables = personalTables(db);
      const byName = new Map(tables.map((t) => [t.name, t]));
      for (const { table } of [...linked].reverse()) {
        const condition = linkCondition(table, byName);
        if (!condition) continue;
        const info = db.prepare(`DELETE FROM ${quote(table.name)} WHERE ${condition}`).run({ pid: personId });
        if (info.changes > 0) deleted[table.name] = info.changes;
      }
      deleted.people = db.prepare('DELETE FROM people WHERE id = ?').run(personId).changes;
      if (employee.employee_id) {
        // Reports keep pointing at a manager who no longer exists here; the next org import restores it if still true.
        const info = db.prepare('UPDATE people SET manager_employee_id = NULL WHERE manager_employee_id = ?').run(employee.employee_id);
        if (info.changes > 0) deleted['people.manager_employee_id (cleared)'] = info.changes;
      }
      db.prepare('INSERT INTO audit_log (at, action, actor_hash, subject_hash, detail) VALUES (?, ?, ?, ?, ?)').run(
        now.toISOString(),
        'forget',
        via === 'chat' ? hash : null,
        hash,
        JSON.stringify({ via, deleted }),
      );
      return { deleted, subjectHash: hash };
    })();
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // A reader holds the WAL: the next periodic checkpoint overwrites it.
    }
    return report;
  } finally {
    db.pragma(`secure_delete = ${previousSecureDelete ? 'ON' : 'OFF'}`);
  }
}

/** Finds a person by employee id, or (for guests and channel ids) by any channel identity. */
export function findPersonForRequest(db: Db, id: string): { personId: number; employeeId: string | null; name: string | null } | undefined {
  const byEmployee = db.prepare('SELECT id, employee_id, name FROM people WHERE employee_id = ?').get(id) as
    | { id: number; employee_id: string | null; name: string | null }
    | undefined;
  if (byEmployee) return { personId: byEmployee.id, employeeId: byEmployee.employee_id, name: byEmployee.name };
  const identities = db
    .prepare('SELECT DISTINCT p.id, p.employee_id, p.name FROM identities i JOIN people p ON p.id = i.person_id WHERE i.external_id = ?')
    .all(id) as Array<{ id: number; employee_id: string | null; name: string | null }>;
  if (identities.length !== 1) return undefined;
  const row = identities[0]!;
  return { personId: row.id, employeeId: row.employee_id, name: row.name };
}
