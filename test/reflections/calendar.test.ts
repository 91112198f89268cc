/** The weekly calendar in people's own zones: DST both ways, odd offsets, pauses and parsing. */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { cycleWeekOf, nextOccurrence, parseLocalTime, parsePause, parseWeekday } from '../../src/reflections/calendar';

const friday16 = { weekday: 5, localTime: '16:00' };
const next = (zone: string, after: string, slot = friday16, hold = {}) => nextOccurrence(slot, zone, new Date(after), hold)?.toUTC().toISO();

describe('nextOccurrence', () => {
  test('Asia/Kolkata (UTC+5:30) and Asia/Tokyo', () => {
    expect(next('Asia/Kolkata', '2026-11-18T00:00:00Z')).toBe('2026-11-20T10:30:00.000Z');
    expect(next('Asia/Tokyo', '2026-11-20T07:00:00Z')).toBe('2026-11-27T07:00:00.000Z'); // strictly after
  });

  test('America/New_York and Europe/London keep 16:00 local across both DST changes', () => {
    expect(next('America/New_York', '2026-03-02T00:00:00Z')).toBe('2026-03-06T21:00:00.000Z'); // EST
    expect(next('America/New_York', '2026-03-07T00:00:00Z')).toBe('2026-03-13T20:00:00.000Z'); // EDT from 8 March
    expect(next('Europe/London', '2026-03-23T00:00:00Z')).toBe('2026-03-27T16:00:00.000Z'); // GMT
    expect(next('Europe/London', '2026-03-28T00:00:00Z')).toBe('2026-04-03T15:00:00.000Z'); // BST from 29 March
    expect(next('Europe/London', '2026-10-24T00:00:00Z')).toBe('2026-10-30T16:00:00.000Z'); // GMT from 25 October
    expect(next('America/New_York', '2026-10-31T00:00:00Z')).toBe('2026-11-06T21:00:00.000Z'); // EST from 1 November
  });

  test('a slot inside the gap moves forward; a slot inside the overlap happens once', () => {
    const sunday0230 = { weekday: 7, localTime: '02:30' };
    expect(next('America/New_York', '2026-03-07T00:00:00Z', sunday0230)).toBe('2026-03-08T07:30:00.000Z');
    const sunday0130 = { weekday: 7, localTime: '01:30' };
    const first = next('America/New_York', '2026-10-31T00:00:00Z', sunday0130)!;
    expect(first).toBe('2026-11-01T06:30:00.000Z'); // luxon resolves the repeated 01:30 to one instant (EST)
    expect(next('America/New_York', first, sunday0130)).toBe('2026-11-08T06:30:00.000Z'); // then next week, nothing in between
  });

  test('pauses and skipped weeks are stepped over', () => {
    expect(next('Asia/Tokyo', '2026-11-18T00:00:00Z', friday16, { pausedUntil: '2026-11-27' })).toBe('2026-12-04T07:00:00.000Z');
    expect(next('Asia/Tokyo', '2026-11-18T00:00:00Z', friday16, { skipWeek: '2026-W47' })).toBe('2026-11-27T07:00:00.000Z');
    expect(nextOccurrence(friday16, 'Asia/Tokyo', new Date('2026-11-18T00:00:00Z'), { pausedUntil: '9999-12-31' })).toBeNull();
  });

  test('property: the next slot is after the instant, within a week, on the chosen weekday and local time', () => {
    const zones = ['Asia/Tokyo', 'Asia/Kolkata', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }),
        (zone, weekday, hour, minute, after) => {
          const localTime = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
          const occurrence = nextOccurrence({ weekday, localTime }, zone, after)!;
          expect(occurrence.toMillis()).toBeGreaterThan(after.getTime());
          expect(occurrence.toMillis() - after.getTime()).toBeLessThanOrEqual(7 * 86_400_000 + 3_600_000);
          expect(occurrence.weekday).toBe(weekday);
          // Equal to the wall time unless the slot fell into a DST gap (then at most an hour later).
          const minutes = occurrence.hour * 60 + occurrence.minute - (hour * 60 + minute);
          expect(minutes === 0 || (minutes > 0 && minutes <= 60)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('parsing', () => {
  test('days in English and Japanese, 24-hour times', () => {
    expect(['mon', 'Friday', '金', '金曜日', '日曜'].map(parseWeekday)).toEqual([1, 5, 5, 5, 7]);
    expect(parseWeekday('fryday')).toBeUndefined();
    expect(['16:00', '9:05', '１６：３０'].map(parseLocalTime)).toEqual(['16:00', '09:05', '16:30']);
    expect(['24:00', '16:60', '4pm', '16'].map(parseLocalTime)).toEqual([undefined, undefined, undefined, undefined]);
  });

  test('pause periods end on a local date, inclusive', () => {
    const now = new Date('2026-11-18T16:00:00Z'); // already 19 Nov in Tokyo
    expect(parsePause('2w', now, 'Asia/Tokyo')).toEqual({ pausedUntil: '2026-12-02' });
    expect(parsePause('10d', now, 'Europe/London')).toEqual({ pausedUntil: '2026-11-27' });
    expect(parsePause('3週間', now, 'Asia/Tokyo')).toEqual({ pausedUntil: '2026-12-09' });
    expect(parsePause('2026-12-31', now, 'Asia/Tokyo')).toEqual({ pausedUntil: '2026-12-31' });
    expect(parsePause('week', now, 'Asia/Tokyo')).toEqual({ skipWeek: true });
    expect(parsePause('2025-01-01', now, 'Asia/Tokyo')).toBeUndefined();
    expect(parsePause('soon', now, 'Asia/Tokyo')).toBeUndefined();
  });

  test('cycle weeks are ISO weeks of the local date', () => {
    expect(cycleWeekOf(DateTime.fromISO('2026-11-20T16:00', { zone: 'Asia/Tokyo' }))).toBe('2026-W47');
    expect(cycleWeekOf(DateTime.fromISO('2027-01-01T16:00', { zone: 'Asia/Tokyo' }))).toBe('2026-W53');
  });
});
