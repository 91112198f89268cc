/**
 * The durable outbox in SQLite: one row per message that must go out once.
 *
 * Delivery semantics, per `dedupe_key` (one per person and cycle week):
 * - Enqueue is idempotent: `INSERT OR IGNORE` on the unique key, so two processes or a replayed
 *   tick never queue a prompt twice.
 * - Claiming is atomic: one `UPDATE … WHERE status = 'pending' … RETURNING` moves rows to
 *   'sending' under SQLite's single writer lock, so two processes never claim the same row.
 * - `in_flight_at` is stamped just before the message goes on the wire. A claim that went stale
 *   (the process died) without it was never sent: it returns to 'pending' and is sent once.
 * - A stale claim *with* it is in doubt (the crash fell between the request and recording its
 *   answer, a window of one HTTP call). The channel is asked (`wasDelivered`, e.g. Slack message
 *   metadata): delivered → 'sent'; not delivered → 'pending'; cannot tell now (outage, rate
 *   limit) → still 'sending', asked again after the next lease for up to a day; a channel that
 *   cannot tell at all → 'failed' with the reason, not resent. In doubt we choose at-most-once: a
 *   missed weekly nudge is better than a duplicate; everything outside that window is exactly once.
 */
import type { Db } from '../storage/database';

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled';

export interface OutboxRow {
  id: number;
  personId: number;
  dedupeKey: string;
  kind: string;
  channel: string | null;
  payload: Record<string, unknown>;
  attempts: number;
  inFlightAt: string | null;
  createdAt: string;
}

interface RawRow {
  id: number;
  person_id: number;
  dedupe_key: string;
  kind: string;
  channel: string | null;
  payload: string;
  attempts: number;
  in_flight_at: string | null;
  created_at: string;
}

const toRow = (r: RawRow): OutboxRow => ({
  id: r.id,
  personId: r.person_id,
  dedupeKey: r.dedupe_key,
  kind: r.kind,
  channel: r.channel,
  payload: safeJson(r.payload),
  attempts: r.attempts,
  inFlightAt: r.in_flight_at,
  createdAt: r.created_at,
});

function safeJson(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export interface EnqueueRequest {
  personId: number;
  dedupeKey: string;
  kind: string;
  /** An object, or its JSON when many rows share it. */
  payload?: Record<string, unknown> | string;
  notBefore: Date;
}

export class Outbox {
  private readonly insert;

  constructor(private readonly db: Db) {
    this.insert = db.prepare('INSERT OR IGNORE INTO outbox (person_id, dedupe_key, kind, payload, not_before, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  }

  /** Queues a message unless one with the same key exists. Returns true when it was queued now. */
  enqueue(req: EnqueueRequest, now: Date): boolean {
    const info = this.insert
      .run(req.personId, req.dedupeKey, req.kind, typeof req.payload === 'string' ? req.payload : JSON.stringify(req.payload ?? {}), req.notBefore.toISOString(), now.toISOString());
    return info.changes === 1;
  }

  /** Atomically claims up to `limit` due rows for `owner`, oldest first. */
  claim(now: Date, owner: string, limit: number, kinds?: readonly string[]): OutboxRow[] {
    const kindFilter = kinds && kinds.length > 0 ? `AND kind IN (${kinds.map(() => '?').join(',')})` : '';
    const rows = this.db
      .prepare(
        `UPDATE outbox SET status = 'sending', claimed_by = ?, claimed_at = ?, in_flight_at = NULL, attempts = attempts + 1
         WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND not_before <= ? ${kindFilter} ORDER BY not_before, id LIMIT ?)
         RETURNING id, person_id, dedupe_key, kind, channel, payload, attempts, in_flight_at, created_at`,
      )
      .all(owner, now.toISOString(), now.toISOString(), ...(kinds ?? []), limit) as RawRow[];
    return rows.map(toRow).sort((a, b) => a.id - b.id);
  }

  /** Stamps the row just before the send, with the channel used. False if the claim was lost. */
  markInFlight(id: number, owner: string, channel: string, now: Date): boolean {
    return (
      this.db
        .prepare("UPDATE outbox SET in_flight_at = ?, channel = ? WHERE id = ? AND status = 'sending' AND claimed_by = ?")
        .run(now.toISOString(), channel, id, owner).changes === 1
    );
  }

  markSent(id: number, now: Date): void {
    this.db.prepare("UPDATE outbox SET status = 'sent', sent_at = ?, last_error = NULL WHERE id = ?").run(now.toISOString(), id);
  }

  /** Back to 'pending' for another attempt at `notBefore`. */
  retryAt(id: number, notBefore: Date, reason: string): void {
    this.db
      .prepare("UPDATE outbox SET status = 'pending', not_before = ?, claimed_by = NULL, claimed_at = NULL, in_flight_at = NULL, last_error = ? WHERE id = ?")
      .run(notBefore.toISOString(), reason.slice(0, 200), id);
  }

  /** Gives a claimed row back without counting the attempt (e.g. no channel is up yet). */
  release(id: number, notBefore: Date, reason: string): void {
    this.db
      .prepare(
        "UPDATE outbox SET status = 'pending', not_before = ?, claimed_by = NULL, claimed_at = NULL, in_flight_at = NULL, attempts = MAX(attempts - 1, 0), last_error = ? WHERE id = ?",
      )
      .run(notBefore.toISOString(), reason.slice(0, 200), id);
  }

  finish(id: number, status: 'failed' | 'cancelled', reason: string): void {
    this.db.prepare('UPDATE outbox SET status = ?, last_error = ? WHERE id = ?').run(status, reason.slice(0, 200), id);
  }

  /** Claims older than the lease, by whether they reached the wire. */
  staleClaims(now: Date, leaseMs: number, limit = 500): OutboxRow[] {
    const before = new Date(now.getTime() - leaseMs).toISOString();
    return (
      this.db
        .prepare(
          `SELECT id, person_id, dedupe_key, kind, channel, payload, attempts, in_flight_at, created_at FROM outbox
           WHERE status = 'sending' AND claimed_at < ? ORDER BY id LIMIT ?`,
        )
        .all(before, limit) as RawRow[]
    ).map(toRow);
  }

  /** Takes over a stale claim (only if still stale and unchanged), so two recovering processes do not both act. */
  takeOver(id: number, owner: string, now: Date, leaseMs: number): boolean {
    const before = new Date(now.getTime() - leaseMs).toISOString();
    return (
      this.db
        .prepare("UPDATE outbox SET claimed_by = ?, claimed_at = ? WHERE id = ? AND status = 'sending' AND claimed_at < ?")
        .run(owner, now.toISOString(), id, before).changes === 1
    );
  }

  counts(): Record<OutboxStatus, number> {
    const out: Record<OutboxStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0, cancelled: 0 };
    for (const r of this.db.prepare('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status').all() as Array<{ status: OutboxStatus; n: number }>) out[r.status] = r.n;
    return out;
  }
}
