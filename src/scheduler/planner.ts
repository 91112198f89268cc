/**
 * Decides what is due at an instant and puts it in the outbox: weekly prompts (with the summary
 * every fourth prompt) and reminders. Each person's next prompt is precomputed in UTC
 * (`reflection_settings.next_due_at`, indexed), so finding a tick's due set is one index range
 * query; time zones are only consulted for the people actually due.
 *
 * Catch-up rule: after downtime, a prompt whose slot passed earlier the same local day is still
 * sent; older ones are skipped (and the person's next slot is computed from now).
 */
import { DateTime } from 'luxon';
import type { Db } from '../storage/database';
import { cycleWeekOf, endOfLocalDay, isHeld, isSameLocalDay, nextOccurrence, zoneOf } from '../reflections/calendar';
import type { Outbox } from './outbox';

export interface PlanReport {
  /** People whose slot came due in this pass. */
  due: number;
  /** Outbox rows queued (prompts, summaries, reminders). */
  enqueued: number;
  /** Slots skipped: older than today (downtime), paused or skipped weeks. */
  skipped: number;
  reminders: number;
}

interface DueRow {
  person_id: number;
  next_due_at: string;
  due_zone: string | null;
  weekday: number;
  local_time: string;
  paused_until: string | null;
  skip_week: string | null;
  prompt_count: number;
  timezone: string | null;
}

interface Decision {
  /** Set when the prompt goes out now. */
  payload?: { cycleWeek: string; slotAt: string; expiresAt: string };
  /** `payload` as JSON, serialised once for everyone sharing the decision. */
  json?: string;
  /** Only moved to another zone's slot: neither sent nor skipped. */
  moved?: boolean;
  nextDueAt: string | null;
}

/** Every Nth weekly prompt brings the summary of the last four weeks. */
export const SUMMARY_EVERY = 4;
/** How late a reminder may still go out after its due time. */
const REMINDER_GRACE_MS = 24 * 3_600_000;

export class Planner {
  private readonly dueQuery;
  private readonly advance;
  private readonly anyDue;
  private readonly anyReminder;

  constructor(
    private readonly db: Db,
    private readonly outbox: Outbox,
    private readonly defaultTimezone: string,
  ) {
    this.dueQuery = db.prepare(
      `SELECT s.person_id, s.next_due_at, s.due_zone, s.weekday, s.local_time, s.paused_until, s.skip_week, s.prompt_count, p.timezone
       FROM reflection_settings s JOIN people p ON p.id = s.person_id
       WHERE s.next_due_at IS NOT NULL AND s.next_due_at <= ? AND s.enabled = 1
       ORDER BY s.next_due_at LIMIT ?`,
    );
    this.advance = db.prepare('UPDATE reflection_settings SET next_due_at = ?, due_zone = ?, prompt_count = prompt_count + ? WHERE person_id = ?');
    // Cheap index probes, so the (usual) minute with nothing due takes no write lock.
    this.anyDue = db.prepare('SELECT 1 FROM reflection_settings WHERE next_due_at IS NOT NULL AND next_due_at <= ? LIMIT 1');
    this.anyReminder = db.prepare('SELECT 1 FROM reflection_sessions WHERE reminder_due_at IS NOT NULL AND reminder_due_at <= ? LIMIT 1');
  }

  /** The people due at `now` (the index range query a tick starts with). */
  dueSet(now: Date, limit = 100_000): DueRow[] {
    return this.dueQuery.all(now.toISOString(), limit) as DueRow[];
  }

  /** Queues everything due at `now`, in batches, each batch one write transaction. */
  plan(now: Date, batchSize = 2000): PlanReport {
    const report: PlanReport = { due: 0, enqueued: 0, skipped: 0, reminders: 0 };
    const memo = new Map<string, Decision>();
    while (this.anyDue.get(now.toISOString())) {
      // BEGIN IMMEDIATE: the read and the advance happen under the write lock, so a second process
      // sees the advanced rows, never the same due set.
      const n = this.db.transaction(() => {
        const rows = this.dueSet(now, batchSize);
        for (const row of rows) this.planOne(row, now, report, memo);
        return rows.length;
      }).immediate();
      report.due += n;
      if (n < batchSize) break;
    }
    report.reminders = this.planReminders(now);
    report.enqueued += report.reminders;
    return report;
  }

  private planOne(row: DueRow, now: Date, report: PlanReport, memo: Map<string, Decision>): void {
    const zone = row.timezone ?? this.defaultTimezone;
    // People with the same zone, slot and due instant get the same decision: compute it once per
    // pass (time-zone arithmetic is the expensive part). Pauses and skips are per person.
    const personal = !!(row.paused_until || row.skip_week);
    const key = `${zone}|${row.weekday}|${row.local_time}|${row.next_due_at}|${row.due_zone === zone ? 1 : 0}`;
    let decision = personal ? undefined : memo.get(key);
    if (!decision) {
      decision = this.decide(row, zone, now);
      if (!personal) memo.set(key, decision);
    }
    let queued = 0;
    if (decision.payload) {
      const { cycleWeek } = decision.payload;
      if ((row.prompt_count + 1) % SUMMARY_EVERY === 0) {
        // Queued first so it arrives before the week's first question.
        if (this.outbox.enqueue({ personId: row.person_id, dedupeKey: `summary:${row.person_id}:${cycleWeek}`, kind: 'summary', payload: decision.json, notBefore: now }, now)) report.enqueued += 1;
      }
      if (this.outbox.enqueue({ personId: row.person_id, dedupeKey: `reflection:${row.person_id}:${cycleWeek}`, kind: 'reflection_prompt', payload: decision.json, notBefore: now }, now)) {
        report.enqueued += 1;
        queued = 1;
      }
    } else if (!decision.moved) {
      report.skipped += 1;
    }
    this.advance.run(decision.nextDueAt, zone, queued, row.person_id);
  }

  /** Whether the row's slot is sent now, and the next slot after it. */
  private decide(row: DueRow, zone: string, now: Date): Decision {
    const slot = { weekday: row.weekday, localTime: row.local_time };
    const hold = { pausedUntil: row.paused_until, skipWeek: row.skip_week };
    let occurrence: DateTime = DateTime.fromISO(row.next_due_at, { zone: zoneOf(zone) });
    const zoneChanged = row.due_zone !== zone;
    if (zoneChanged || !isSameLocalDay(occurrence.toJSDate(), now, zone)) {
      // The stored slot is from an earlier day (downtime) or another zone: today's slot, if it has
      // already passed, is the one to catch up; otherwise the stored one is simply missed.
      const startOfDay = DateTime.fromJSDate(now, { zone: zoneOf(zone) }).startOf('day').minus({ milliseconds: 1 }).toJSDate();
      const today = nextOccurrence(slot, zone, startOfDay, hold);
      if (today && today.toMillis() <= now.getTime()) occurrence = today;
      else if (zoneChanged) return { moved: true, nextDueAt: today ? today.toUTC().toISO() : null };
    }
    let payload: Decision['payload'];
    if (isSameLocalDay(occurrence.toJSDate(), now, zone) && !isHeld(occurrence, hold)) {
      payload = { cycleWeek: cycleWeekOf(occurrence), slotAt: occurrence.toUTC().toISO()!, expiresAt: endOfLocalDay(occurrence.toJSDate(), zone).toISOString() };
    }
    const next = nextOccurrence(slot, zone, new Date(Math.max(now.getTime(), occurrence.toMillis())), hold);
    return { payload, json: payload && JSON.stringify(payload), nextDueAt: next ? next.toUTC().toISO() : null };
  }

  /** One reminder, two days after an unanswered prompt; not when paused, off, or more than a day late. */
  private planReminders(now: Date): number {
    let queued = 0;
    if (!this.anyReminder.get(now.toISOString())) return 0;
    this.db.transaction(() => {
      const rows = this.db
        .prepare(
          `SELECT r.id, r.person_id, r.cycle_week, r.reminder_due_at, s.enabled, s.paused_until, p.timezone
           FROM reflection_sessions r JOIN reflection_settings s ON s.person_id = r.person_id JOIN people p ON p.id = r.person_id
           WHERE r.reminder_due_at IS NOT NULL AND r.reminder_due_at <= ? LIMIT 5000`,
        )
        .all(now.toISOString()) as Array<{
        id: number;
        person_id: number;
        cycle_week: string | null;
        reminder_due_at: string;
        enabled: number;
        paused_until: string | null;
        timezone: string | null;
      }>;
      const clear = this.db.prepare('UPDATE reflection_sessions SET reminder_due_at = NULL WHERE id = ?');
      for (const r of rows) {
        clear.run(r.id);
        const dueAt = new Date(r.reminder_due_at);
        const zone = r.timezone ?? this.defaultTimezone;
        const today = DateTime.fromJSDate(now, { zone: zoneOf(zone) }).toISODate()!;
        if (!r.cycle_week || r.enabled !== 1 || (r.paused_until && today <= r.paused_until)) continue;
        if (now.getTime() - dueAt.getTime() > REMINDER_GRACE_MS) continue;
        const payload = { cycleWeek: r.cycle_week, expiresAt: new Date(dueAt.getTime() + REMINDER_GRACE_MS).toISOString() };
        if (this.outbox.enqueue({ personId: r.person_id, dedupeKey: `reminder:${r.person_id}:${r.cycle_week}`, kind: 'reminder', payload, notBefore: now }, now)) queued += 1;
      }
    }).immediate();
    return queued;
  }
}
