/**
 * Data rights in chat: `export` hands the person a JSON file of everything stored about them;
 * `forget` asks for a confirmation (a one-time token with an expiry) and then erases it all.
 * The token is bound to the person: a button forwarded to someone else does nothing.
 */
import { randomBytes } from 'node:crypto';
import type { CoreServices } from '../core/core-services';
import type { ActionContext, CommandContext } from '../core/router';
import type { Reply } from '../core/types';
import type { Db } from '../storage/database';
import { privacyMessages } from './messages';
import { erasePerson, exportPersonalData, type PersonalExport } from './personal-data';

/** How long a `forget` confirmation stays valid. */
export const FORGET_CONFIRMATION_MINUTES = 10;

/** `tsumiki-export-2026-11-21.json` */
export function exportFileName(now: Date): string {
  return `tsumiki-export-${now.toISOString().slice(0, 10)}.json`;
}

export function countRows(data: PersonalExport): number {
  return 1 + Object.values(data.tables).reduce((n, rows) => n + rows.length, 0);
}

function exportReply(db: Db, ctx: CommandContext): Reply[] {
  const m = privacyMessages[ctx.locale];
  const data = exportPersonalData(db, ctx.turn.actor.personId, ctx.now);
  if (!data) return [{ kind: 'info', locale: ctx.locale, text: m.nothingStored, private: true }];
  return [
    {
      kind: 'export',
      locale: ctx.locale,
      title: m.exportTitle,
      text: m.exportText(countRows(data)),
      file: { name: exportFileName(ctx.now), mimeType: 'application/json', content: `${JSON.stringify(data, null, 2)}\n` },
      private: true,
    },
  ];
}

function forgetReply(db: Db, ctx: CommandContext): Reply[] {
  const m = privacyMessages[ctx.locale];
  const token = randomBytes(16).toString('hex');
  const expires = new Date(ctx.now.getTime() + FORGET_CONFIRMATION_MINUTES * 60_000);
  db.prepare('INSERT INTO pending_confirmations (token, person_id, action, expires_at) VALUES (?, ?, ?, ?)').run(
    token,
    ctx.turn.actor.personId,
    'forget',
    expires.toISOString(),
  );
  return [
    {
      kind: 'confirm',
      locale: ctx.locale,
      title: m.forgetTitle,
      text: m.forgetText(FORGET_CONFIRMATION_MINUTES),
      actions: [
        { id: 'forget.confirm', label: m.forgetConfirm, value: token, style: 'danger' },
        { id: 'forget.cancel', label: m.forgetCancel, value: token },
      ],
      private: true,
    },
  ];
}

function onForgetAction(core: CoreServices, ctx: ActionContext): Reply[] {
  const { db } = core;
  const m = privacyMessages[ctx.locale];
  const info = (text: string): Reply[] => [{ kind: 'info', locale: ctx.locale, text, private: true, replaceOriginal: true }];
  const token = ctx.action.value ?? '';
  const pending = db
    .prepare("SELECT expires_at FROM pending_confirmations WHERE token = ? AND person_id = ? AND action = 'forget'")
    .get(token, ctx.turn.actor.personId) as { expires_at: string } | undefined;
  if (ctx.action.id === 'forget.cancel') {
    db.prepare('DELETE FROM pending_confirmations WHERE token = ? AND person_id = ?').run(token, ctx.turn.actor.personId);
    return info(m.forgetCancelled);
  }
  if (ctx.action.id !== 'forget.confirm' || !pending) return info(m.confirmationUnknown);
  if (pending.expires_at <= ctx.now.toISOString()) {
    db.prepare('DELETE FROM pending_confirmations WHERE token = ?').run(token);
    return info(m.confirmationExpired);
  }
  const report = erasePerson(db, ctx.turn.actor.personId, 'chat', ctx.now);
  core.logger.info({ subjectHash: report?.subjectHash, tables: report ? Object.keys(report.deleted).length : 0 }, 'person erased at their request');
  return info(m.forgotten);
}

/** Registers `export`, `forget` and the `forget.confirm` / `forget.cancel` buttons. */
export function registerDataRights(core: CoreServices): void {
  const { router, db } = core;
  router.command(
    {
      name: 'export',
      summary: { ja: privacyMessages.ja.exportSummary, en: privacyMessages.en.exportSummary },
      usage: { ja: 'export', en: 'export' },
      acceptsInDm: (args) => args === '',
      handle: (ctx) => exportReply(db, ctx),
    },
    'エクスポート',
  );
  router.command(
    {
      name: 'forget',
      summary: { ja: privacyMessages.ja.forgetSummary, en: privacyMessages.en.forgetSummary },
      usage: { ja: 'forget', en: 'forget' },
      acceptsInDm: (args) => args === '',
      handle: (ctx) => forgetReply(db, ctx),
    },
    'データ削除',
  );
  router.action('forget', (ctx) => onForgetAction(core, ctx));
}
