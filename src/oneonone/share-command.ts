/**
 * `share on|off`: the member's choice whether their manager's 1on1 suggestions may use the lessons
 * and themes of their reflections (people.share_with_manager). `share` alone shows the setting and
 * who prepared a 1on1 about them with Tsumiki, so the member always sees it.
 */
import { DateTime } from 'luxon';
import type { CoreServices } from '../core/core-services';
import type { CommandContext } from '../core/router';
import type { Reply } from '../core/types';
import { oneOnOneMessages } from './messages';
import { preparationsAbout } from './preparation-log';

const ON = /^(on|オン|はい|yes)$/i;
const OFF = /^(off|オフ|いいえ|no)$/i;

/** Accepts only what is clearly the setting, so "share my worries about…" in a DM stays a question. */
export function isShareArgument(args: string): boolean {
  return args === '' || ON.test(args) || OFF.test(args);
}

export function handleShare(core: CoreServices, ctx: CommandContext): Reply[] {
  const actor = ctx.turn.actor;
  const m = oneOnOneMessages[ctx.locale];
  const arg = ctx.args.trim();
  const reply = (text: string): Reply[] => [
    {
      kind: 'settings',
      locale: ctx.locale,
      text,
      private: true,
      actions: [
        { id: 'command', label: ctx.locale === 'ja' ? '共有をオン' : 'Share on', value: 'share on' },
        { id: 'command', label: ctx.locale === 'ja' ? '共有をオフ' : 'Share off', value: 'share off' },
      ],
    },
  ];
  if (ON.test(arg)) {
    core.people.updatePreferences(actor.personId, { shareWithManager: true });
    return reply(m.shareOn);
  }
  if (OFF.test(arg)) {
    core.people.updatePreferences(actor.personId, { shareWithManager: false });
    return reply(m.shareOff);
  }
  if (arg !== '') return reply(m.shareBadArgument(arg));
  const person = core.people.byId(actor.personId);
  const preparations = preparationsAbout(core.db, actor.personId);
  const lines = preparations.map((p) =>
    m.preparedBy(p.managerName ?? m.someone, DateTime.fromISO(p.createdAt).setZone(actor.timezone).toFormat('yyyy-MM-dd HH:mm')),
  );
  return reply([m.shareStatus(person?.shareWithManager ?? false), lines.length > 0 ? lines.join('\n') : m.noPreparations].join('\n\n'));
}
