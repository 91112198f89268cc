/** Time-zone helpers shared by configuration, the organisation import and the scheduler. */
import { IANAZone } from 'luxon';

/** True for a valid IANA zone name such as `Asia/Tokyo` (offset strings like `+09:00` are refused). */
export function isValidTimeZone(zone: string): boolean {
  return /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone) && IANAZone.isValidZone(zone);
}

/** The current instant as ISO 8601 UTC, the format every timestamp column uses. */
export function nowIso(now: Date = new Date()): string {
  return now.toISOString();
}
