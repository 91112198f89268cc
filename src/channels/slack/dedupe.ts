/**
 * Slack retries an event it did not see acknowledged within 3 s, up to three times, with the
 * same `event_id`. The first delivery wins; the others are dropped here. Backed by the
 * `processed_events` table, so a restart between delivery and retry does not answer twice.
 */
import type { Db } from '../../storage/database';

/** Records `eventId`; true when it is the first time it was seen. */
export function firstDelivery(db: Db, eventId: string, now: Date = new Date()): boolean {
  const info = db.prepare('INSERT OR IGNORE INTO processed_events (event_key, seen_at) VALUES (?, ?)').run(`slack:${eventId}`, now.toISOString());
  return info.changes === 1;
}

/** Forgets events older than `maxAgeMs` (Slack gives up retrying after about an hour). */
export function pruneProcessedEvents(db: Db, now: Date = new Date(), maxAgeMs = 24 * 3600_000): number {
  const cutoff = new Date(now.getTime() - maxAgeMs).toISOString();
  return db.prepare("DELETE FROM processed_events WHERE event_key LIKE 'slack:%' AND seen_at < ?").run(cutoff).changes;
}
