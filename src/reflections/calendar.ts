/**
 * The weekly calendar of reflection prompts, in each person's own time zone (luxon).
 * Pure functions: no database, no clock of their own.
 *
 * DST: a slot that falls in a spring-forward gap (e.g. 02:30 in America/New_York) moves forward
 * by the gap, as luxon does; a slot in a fall-back overlap (01:30) resolves to one of the two
 * instants (luxon's choice). Either way the week's prompt is keyed by its cycle week, so it goes
 * out once.
 */
import { DateTime, IANAZone, type WeekdayNumbers } from 'luxon';

/**
 * An IANA zone whose UTC offsets are memoised per minute. luxon asks `Intl` for the offset on
 * every DateTime it builds, which dominates the scheduler's cost at 100,000 people; offsets only
 * change at whole minutes, so caching by minute is exact.
 */
class MemoisedZone extends IANAZone {
  private readonly offsets = new Map<number, number>();

  override offset(ts: number): number {
    const minute = Math.floor(ts / 60_000);
    let value = this.offsets.get(minute);
    if (value === undefined) {
      if (this.offsets.size > 50_000) this.offsets.clear();
      // The offset at the start of the minute holds for the whole minute.
      value = super.offset(minute * 60_000);
      this.offsets.set(minute, value);
    }
    return value;
  }
}

const zones = new Map<string, MemoisedZone>();

/** The (memoised) zone object for an IANA name; pass it to luxon instead of the name. */
export function zoneOf(name: string): IANAZone {
  let zone = zones.get(name);
  if (!zone) {
    zone = new MemoisedZone(name);
    zones.set(name, zone);
  }
  return zone;
}

/** The weekly slot a person chose. */
export interface WeeklySlot {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** 24-hour HH:MM, local time. */
  localTime: string;
}

/** What holds prompts back. */
export interface Hold {
  /** Local ISO date, inclusive. */
  pausedUntil?: string | null;
  /** Cycle week key to skip, e.g. 2026-W47. */
  skipWeek?: string | null;
}

const DAY_WORDS: Record<string, number> = {
  mon: 1, monday: 1, 月: 1, 月曜: 1, 月曜日: 1,
  tue: 2, tues: 2, tuesday: 2, 火: 2, 火曜: 2, 火曜日: 2,
  wed: 3, wednesday: 3, 水: 3, 水曜: 3, 水曜日: 3,
  thu: 4, thur: 4, thurs: 4, thursday: 4, 木: 4, 木曜: 4, 木曜日: 4,
  fri: 5, friday: 5, 金: 5, 金曜: 5, 金曜日: 5,
  sat: 6, saturday: 6, 土: 6, 土曜: 6, 土曜日: 6,
  sun: 7, sunday: 7, 日: 7, 日曜: 7, 日曜日: 7,
};

/** `fri`, `Friday`, `金`, `金曜日` → 5; anything else → undefined. */
export function parseWeekday(word: string): number | undefined {
  return DAY_WORDS[word.trim().toLowerCase()];
}

/** `16:00`, `9:30`, `１６：００` → `16:00`; 24-hour only. */
export function parseLocalTime(text: string): string | undefined {
  const normal = text.trim().replace(/[０-９：]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(normal);
  if (!match) return undefined;
  return `${match[1]!.padStart(2, '0')}:${match[2]}`;
}

/** The cycle week of a local date-time: its ISO week, e.g. `2026-W47`. */
export function cycleWeekOf(local: DateTime): string {
  return `${local.weekYear}-W${String(local.weekNumber).padStart(2, '0')}`;
}

/** The slot's instant in the ISO week that contains `local`. */
function slotInWeekOf(local: DateTime, slot: WeeklySlot, zone: string): DateTime {
  const [hour, minute] = slot.localTime.split(':').map(Number) as [number, number];
  return DateTime.fromObject(
    { weekYear: local.weekYear, weekNumber: local.weekNumber, weekday: slot.weekday as WeekdayNumbers, hour, minute },
    { zone: zoneOf(zone) },
  );
}

/** True when the prompt of the week containing `occurrence` is held back by a pause or a skip. */
export function isHeld(occurrence: DateTime, hold: Hold): boolean {
  if (hold.skipWeek && hold.skipWeek === cycleWeekOf(occurrence)) return true;
  if (hold.pausedUntil && occurrence.toISODate()! <= hold.pausedUntil) return true;
  return false;
}

/**
 * The first slot instant strictly after `after` that no pause or skip holds back.
 * Returns null when none falls within ten years (a pause "forever").
 */
export function nextOccurrence(slot: WeeklySlot, zone: string, after: Date, hold: Hold = {}): DateTime | null {
  const start = DateTime.fromJSDate(after, { zone: zoneOf(zone) });
  let candidate = slotInWeekOf(start, slot, zone);
  if (candidate.toMillis() <= after.getTime()) candidate = slotInWeekOf(start.plus({ weeks: 1 }), slot, zone);
  for (let i = 0; i < 530; i += 1) {
    if (!isHeld(candidate, hold)) return candidate;
    // plus({weeks}) is calendar arithmetic: the local wall time stays, whatever DST does.
    candidate = slotInWeekOf(candidate.plus({ weeks: 1 }), slot, zone);
  }
  return null;
}

/**
 * Catch-up rule after downtime: a prompt whose slot passed is still sent when `now` is on the
 * same local day as the slot; older ones are not.
 */
export function isSameLocalDay(occurrence: Date, now: Date, zone: string): boolean {
  return DateTime.fromJSDate(occurrence, { zone: zoneOf(zone) }).toISODate() === DateTime.fromJSDate(now, { zone: zoneOf(zone) }).toISODate();
}

/** The end of the local day that contains `instant`: the latest a prompt for that day may go out. */
export function endOfLocalDay(instant: Date, zone: string): Date {
  return DateTime.fromJSDate(instant, { zone: zoneOf(zone) }).endOf('day').toJSDate();
}

/**
 * `2w`, `10d`, `3週間`, `10日`, `2026-12-31` → the last local date of the pause (inclusive).
 * `week` / `今週` → the current cycle week is skipped instead (returns `{ skipWeek }`).
 */
export function parsePause(text: string, now: Date, zone: string): { pausedUntil: string } | { skipWeek: true } | undefined {
  const t = text.trim().toLowerCase().replace(/\s+/g, '');
  if (t === 'week' || t === 'thisweek' || t === 'skip' || t === '今週' || t === '今週だけ' || t === 'スキップ') return { skipWeek: true };
  const today = DateTime.fromJSDate(now, { zone: zoneOf(zone) }).startOf('day');
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (date) {
    const d = DateTime.fromISO(t, { zone: zoneOf(zone) });
    if (!d.isValid || d < today) return undefined;
    return { pausedUntil: d.toISODate()! };
  }
  const span = /^(\d{1,3})(d|days?|日|日間|w|weeks?|週|週間)$/.exec(t);
  if (!span) return undefined;
  const n = Number(span[1]);
  if (n < 1 || n > 366) return undefined;
  const days = /^(w|week|weeks|週|週間)$/.test(span[2]!) ? n * 7 : n;
  // "pause 2w" from today: the next 14 days (today included) stay quiet.
  return { pausedUntil: today.plus({ days: days - 1 }).toISODate()! };
}
