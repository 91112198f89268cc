/**
 * Words of the reflection commands (settings, pause, journal), in both languages. Typed, so a
 * string missing in one language fails the type check. The dialogue's own questions and the
 * invitation are data in prompts/reflection/.
 */
import type { Locale } from '../core/types';

export interface ReflectionMessages {
  weekdays: string[];
  settingsTitle: string;
  settings(o: { enabled: boolean; slot: string; timezone: string; next: string | null; pausedUntil: string | null; skipWeek: boolean; invited: boolean }): string;
  slotSaved(slot: string, timezone: string, next: string | null, enabled: boolean): string;
  badSchedule(input: string): string;
  badTime(input: string): string;
  badDay(input: string): string;
  badZone(input: string): string;
  zoneSaved(zone: string, next: string | null): string;
  stopped: string;
  alreadyOff: string;
  badPause(input: string): string;
  paused(until: string, next: string | null): string;
  skipped(next: string | null): string;
  resumed(next: string | null): string;
  notPaused: string;
  notEnabledForPause: string;
  journalTitle: string;
  journalEmpty: string;
  journalMore(shown: number, total: number): string;
  journalPrivate: string;
  preparedBy(managerName: string | null, at: string): string;
  entryHeading(date: string, shared: boolean): string;
  edit: string;
  delete: string;
  share: string;
  unshare: string;
  save: string;
  cancel: string;
  editTitle: string;
  outcomeLabel: string;
  entryNotFound: string;
  confirmDelete(date: string): string;
  deleteConfirm: string;
  deleted: string;
  deleteCancelled: string;
  entrySaved: string;
  sharedOn: string;
  sharedOff: string;
  buttonOn: string;
  buttonOff: string;
  buttonPause: string;
  buttonChangeSlot: string;
  slotFormTitle: string;
  slotLabel: string;
  zoneLabel: string;
  buttonSaveSlot: string;
  buttonResume: string;
  buttonSkipWeek: string;
  buttonJournal: string;
}

const WEEKDAYS_JA = ['月', '火', '水', '木', '金', '土', '日'];
const WEEKDAYS_EN = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export const reflectionMessages: Record<Locale, ReflectionMessages> = {
  ja: {
    weekdays: WEEKDAYS_JA.map((d) => `${d}曜日`),
    settingsTitle: '週次ふりかえりの設定',
    settings: (o) =>
      [
        `- 週次のふりかえり: ${o.enabled ? '**オン**' : '**オフ**'}`,
        `- 曜日と時刻: ${o.slot}(タイムゾーン: ${o.timezone})`,
        o.pausedUntil ? `- 一時停止: ${o.pausedUntil} まで` : undefined,
        o.skipWeek ? '- 今週はお休み' : undefined,
        o.enabled ? `- 次回: ${o.next ?? '未定(一時停止中)'}` : undefined,
        '',
        o.enabled
          ? '変更: `schedule fri 16:00`(曜日は mon〜sun / 月〜日、24時間表記)、`schedule tz Asia/Tokyo`、`pause 2w`、`pause week`(今週だけお休み)、`resume`、`schedule off`(停止)'
          : '`schedule on` で毎週のふりかえりを始められます(ジャーナルはあなただけのものです)。',
      ]
        .filter((l) => l !== undefined)
        .join('\n'),
    slotSaved: (slot, tz, next, enabled) =>
      enabled ? `毎週 ${slot}(${tz})に変更しました。次回は ${next ?? '一時停止の後'} です。` : `毎週 ${slot}(${tz})に設定しました。\`schedule on\` で始まります。`,
    badSchedule: (input) =>
      `「${input}」は設定として読めませんでした。例: \`schedule fri 16:00\`(毎週金曜16時)、\`schedule on\`、\`schedule off\`、\`schedule tz Asia/Tokyo\``,
    badTime: (input) => `「${input}」は時刻として読めませんでした。24時間表記の HH:MM で指定してください。例: \`schedule fri 16:00\``,
    badDay: (input) => `「${input}」は曜日として読めませんでした。mon〜sun または 月〜日 で指定してください。例: \`schedule 金 16:00\``,
    badZone: (input) => `「${input}」はタイムゾーンとして読めませんでした。IANA の名前で指定してください。例: \`schedule tz Asia/Tokyo\`、\`schedule tz Europe/London\``,
    zoneSaved: (zone, next) => `タイムゾーンを ${zone} にしました。${next ? `次回は ${next} です。` : ''}`,
    stopped: '週次のふりかえりを止めました。これまでのジャーナルはそのまま残ります(`journal` で見られます)。再開は `schedule on` でどうぞ。',
    alreadyOff: '週次のふりかえりはオフになっています。始めるには `schedule on` と送ってください。',
    badPause: (input) =>
      `「${input}」は期間として読めませんでした。例: \`pause 2w\`(2週間)、\`pause 10d\`(10日)、\`pause 2026-12-31\`(その日まで)、\`pause week\`(今週だけお休み)`,
    paused: (until, next) => `${until} まで週次のふりかえりをお休みします。${next ? `次回は ${next} です。` : ''}早めに再開するには \`resume\` と送ってください。`,
    skipped: (next) => `今週のふりかえりはお休みにしました。${next ? `次回は ${next} です。` : ''}`,
    resumed: (next) => `週次のふりかえりを再開しました。${next ? `次回は ${next} です。` : ''}`,
    notPaused: '一時停止はしていません。',
    notEnabledForPause: '週次のふりかえりはオフです。始めるには `schedule on` と送ってください。',
    journalTitle: 'ふりかえりジャーナル',
    journalEmpty: 'ジャーナルはまだ空です。`reflect` でふりかえりを始めると、ここに積み上がっていきます。',
    journalMore: (shown, total) => `(全${total}件のうち新しい${shown}件)`,
    journalPrivate: 'このジャーナルを見られるのはあなただけです。上司と共有したエントリには「共有中」と表示されます。',
    preparedBy: (managerName, at) => `- ${managerName ?? '上司'}さんが ${at} に Tsumiki で1on1の準備をしました(共有した内容だけが使われます)。`,
    entryHeading: (date, shared) => `**${date}**${shared ? '(上司と共有中)' : ''}`,
    edit: '編集',
    delete: '削除',
    share: '上司と共有',
    unshare: '共有をやめる',
    save: '保存',
    cancel: 'やめる',
    editTitle: 'エントリの編集',
    outcomeLabel: '試した結果',
    entryNotFound: 'そのエントリは見つかりませんでした(削除済みかもしれません)。`journal` で一覧を表示します。',
    confirmDelete: (date) => `${date} のエントリを削除します。元に戻せません。よろしいですか?`,
    deleteConfirm: '削除する',
    deleted: 'エントリを削除しました。',
    deleteCancelled: '削除をやめました。',
    entrySaved: 'エントリを更新しました。',
    sharedOn: 'このエントリを上司と共有しました(1on1の準備に使われます)。いつでも「共有をやめる」で戻せます。',
    sharedOff: 'このエントリの共有をやめました。あなただけが見られます。',
    buttonOn: '週次ふりかえりを始める',
    buttonOff: '止める',
    buttonPause: '2週間お休み',
    buttonChangeSlot: '曜日・時刻を変える',
    slotFormTitle: 'ふりかえりの曜日と時刻',
    slotLabel: '曜日と時刻(例: fri 16:00、金 16:00)',
    zoneLabel: 'タイムゾーン(例: Asia/Tokyo)',
    buttonSaveSlot: '保存する',
    buttonResume: '再開する',
    buttonSkipWeek: '今週はお休み',
    buttonJournal: 'ジャーナル',
  },
  en: {
    weekdays: WEEKDAYS_EN,
    settingsTitle: 'Weekly reflection settings',
    settings: (o) =>
      [
        `- Weekly reflection: ${o.enabled ? '**on**' : '**off**'}`,
        `- Day and time: ${o.slot} (time zone: ${o.timezone})`,
        o.pausedUntil ? `- Paused until ${o.pausedUntil}` : undefined,
        o.skipWeek ? '- Skipping this week' : undefined,
        o.enabled ? `- Next: ${o.next ?? 'none scheduled (paused)'}` : undefined,
        '',
        o.enabled
          ? 'Change it: `schedule fri 16:00` (mon–sun, 24-hour time), `schedule tz Europe/London`, `pause 2w`, `pause week` (skip this week), `resume`, `schedule off` (stop)'
          : 'Send `schedule on` to start weekly reflections (your journal is yours alone).',
      ]
        .filter((l) => l !== undefined)
        .join('\n'),
    slotSaved: (slot, tz, next, enabled) =>
      enabled ? `Changed to every ${slot} (${tz}). The next one is ${next ?? 'after your pause'}.` : `Set to every ${slot} (${tz}). Send \`schedule on\` to start.`,
    badSchedule: (input) =>
      `I could not read “${input}” as a setting. For example: \`schedule fri 16:00\` (Fridays at 16:00), \`schedule on\`, \`schedule off\`, \`schedule tz Europe/London\``,
    badTime: (input) => `I could not read “${input}” as a time. Use 24-hour HH:MM, for example \`schedule fri 16:00\``,
    badDay: (input) => `I could not read “${input}” as a day. Use mon–sun, for example \`schedule fri 16:00\``,
    badZone: (input) => `I could not read “${input}” as a time zone. Use an IANA name, for example \`schedule tz Europe/London\` or \`schedule tz Asia/Tokyo\``,
    zoneSaved: (zone, next) => `Your time zone is now ${zone}.${next ? ` The next reflection is ${next}.` : ''}`,
    stopped: 'Weekly reflections are off. Your journal stays as it is (see `journal`). Send `schedule on` to start again.',
    alreadyOff: 'Weekly reflections are off. Send `schedule on` to start them.',
    badPause: (input) =>
      `I could not read “${input}” as a period. For example: \`pause 2w\` (two weeks), \`pause 10d\` (ten days), \`pause 2026-12-31\` (until that day), \`pause week\` (skip this week)`,
    paused: (until, next) => `Weekly reflections are paused until ${until}.${next ? ` The next one is ${next}.` : ''} Send \`resume\` to restart earlier.`,
    skipped: (next) => `This week’s reflection is skipped.${next ? ` The next one is ${next}.` : ''}`,
    resumed: (next) => `Weekly reflections are back on.${next ? ` The next one is ${next}.` : ''}`,
    notPaused: 'Nothing is paused.',
    notEnabledForPause: 'Weekly reflections are off. Send `schedule on` to start them.',
    journalTitle: 'Reflection journal',
    journalEmpty: 'Your journal is empty so far. Send `reflect` to start a reflection; entries build up here.',
    journalMore: (shown, total) => `(the newest ${shown} of ${total})`,
    journalPrivate: 'Only you can see this journal. Entries you shared with your manager are marked as shared.',
    preparedBy: (managerName, at) => `- ${managerName ?? 'Your manager'} prepared a 1on1 with Tsumiki on ${at} (using only what you shared).`,
    entryHeading: (date, shared) => `**${date}**${shared ? ' (shared with your manager)' : ''}`,
    edit: 'Edit',
    delete: 'Delete',
    share: 'Share with manager',
    unshare: 'Stop sharing',
    save: 'Save',
    cancel: 'Cancel',
    editTitle: 'Edit entry',
    outcomeLabel: 'How it went',
    entryNotFound: 'I could not find that entry (it may have been deleted). Send `journal` to see your entries.',
    confirmDelete: (date) => `Delete the entry of ${date}? This cannot be undone.`,
    deleteConfirm: 'Delete',
    deleted: 'The entry is deleted.',
    deleteCancelled: 'Nothing was deleted.',
    entrySaved: 'The entry is updated.',
    sharedOn: 'This entry is now shared with your manager (for 1on1 preparation). “Stop sharing” undoes it at any time.',
    sharedOff: 'This entry is no longer shared. Only you can see it.',
    buttonOn: 'Start weekly reflections',
    buttonOff: 'Stop',
    buttonPause: 'Pause two weeks',
    buttonChangeSlot: 'Change day and time',
    slotFormTitle: 'Day and time of your reflection',
    slotLabel: 'Day and time (e.g. fri 16:00)',
    zoneLabel: 'Time zone (e.g. Europe/London)',
    buttonSaveSlot: 'Save',
    buttonResume: 'Resume',
    buttonSkipWeek: 'Skip this week',
    buttonJournal: 'Journal',
  },
};
