/**
 * The record of 1on1 preparations (oneonone_requests): who asked about whom, when, and what was
 * suggested — so the member can see it and the next suggestions do not repeat. Refused requests go
 * to the pseudonymous audit log instead (no names, no ids in clear).
 */
import type { Db } from '../storage/database';

/** What one preparation suggested: bank ids (`his-01`) or, for generated questions, their text. */
export interface SuggestedRecord {
  questions: string[];
  opening?: string;
}

export interface Preparation {
  id: number;
  managerPersonId: number;
  managerName: string | null;
  createdAt: string;
}

/** Records a preparation; returns its id. */
export function recordPreparation(db: Db, managerPersonId: number, memberPersonId: number, suggested: SuggestedRecord, at: Date): number {
  const items = [...suggested.questions, ...(suggested.opening ? [suggested.opening] : [])];
  const info = db
    .prepare('INSERT INTO oneonone_requests (manager_person_id, member_person_id, suggested, created_at) VALUES (?, ?, ?, ?)')
    .run(managerPersonId, memberPersonId, JSON.stringify(items), at.toISOString());
  return Number(info.lastInsertRowid);
}

/** What was suggested in the most recent preparations about a member, most recent first. */
export function recentSuggestions(db: Db, memberPersonId: number, limit = 6): string[][] {
  const rows = db
    .prepare('SELECT suggested FROM oneonone_requests WHERE member_person_id = ? ORDER BY created_at DESC, id DESC LIMIT ?')
    .all(memberPersonId, limit) as Array<{ suggested: string }>;
  return rows.map((r) => {
    try {
      const value: unknown = JSON.parse(r.suggested);
      return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    } catch {
      return [];
    }
  });
}

/** The preparations about a member, for the member to see (most recent first). */
export function preparationsAbout(db: Db, memberPersonId: number, limit = 5): Preparation[] {
  const rows = db
    .prepare(
      `SELECT r.id, r.manager_person_id, p.name AS manager_name, r.created_at
         FROM oneonone_requests r JOIN people p ON p.id = r.manager_person_id
        WHERE r.member_person_id = ? ORDER BY r.created_at DESC, r.id DESC LIMIT ?`,
    )
    .all(memberPersonId, limit) as Array<{ id: number; manager_person_id: number; manager_name: string | null; created_at: string }>;
  return rows.map((r) => ({ id: r.id, managerPersonId: r.manager_person_id, managerName: r.manager_name, createdAt: r.created_at }));
}
