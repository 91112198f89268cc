/**
 * First contact: a greeting and the purpose notice (what is stored, why, who sees it, how to
 * delete it), shown once per notice version in a private place, and recorded with its version.
 */
import type { Db } from '../storage/database';
import { coreMessages, PURPOSE_NOTICE_VERSION } from '../core/messages';
import type { FirstContactHook } from '../core/router';
import type { Reply } from '../core/types';

export function hasSeenNotice(db: Db, personId: number, version = PURPOSE_NOTICE_VERSION): boolean {
  const row = db
    .prepare("SELECT notice_version FROM consents WHERE person_id = ? AND kind = 'purpose_notice'")
    .get(personId) as { notice_version: string } | undefined;
  return row?.notice_version === version;
}

export function recordNoticeShown(db: Db, personId: number, now: Date, version = PURPOSE_NOTICE_VERSION): void {
  db.prepare(
    `INSERT INTO consents (person_id, kind, granted, notice_version, decided_at) VALUES (?, 'purpose_notice', 1, ?, ?)
     ON CONFLICT (person_id, kind) DO UPDATE SET granted = 1, notice_version = excluded.notice_version, decided_at = excluded.decided_at`,
  ).run(personId, version, now.toISOString());
}

export function welcomeReplies(locale: 'ja' | 'en'): Reply[] {
  const m = coreMessages[locale];
  return [{ kind: 'welcome', locale, title: m.welcomeTitle, text: `${m.welcome}\n\n${m.purposeNotice}`, private: true }];
}

/** The router hook: welcome + notice before the first reply in a private place. */
export function purposeNoticeHook(db: Db): FirstContactHook {
  return (turn, locale, now) => {
    if (turn.surface === 'mention') return []; // never in a shared channel
    if (hasSeenNotice(db, turn.actor.personId)) return [];
    recordNoticeShown(db, turn.actor.personId, now);
    return welcomeReplies(locale);
  };
}
