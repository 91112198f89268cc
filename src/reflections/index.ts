/**
 * Weekly reflections: consent, schedule settings, the experiential-learning dialogue and the
 * journal. Registers the chat commands (`reflect`, `schedule`, `pause`, `resume`, `journal`),
 * the button actions (`reflect.*`, `journal.*`) and a conversation hook that routes a person's
 * free-text DMs to their open reflection step.
 */
import { DateTime } from 'luxon';
import type { CoreServices } from '../core/core-services';
import type { ActionContext } from '../core/router';
import { isValidTimeZone } from '../core/time';
import type { Locale, Reply } from '../core/types';
import { cycleWeekOf, parseLocalTime, parsePause, parseWeekday } from './calendar';
import { controlWord, formatEntry, ReflectionDialogue } from './dialogue';
import { reflectionMessages } from './messages';
import { OutboundRenderer } from './outbound';
import { formatLocal, ReflectionRepository, STEPS, type Step } from './reflection-repository';
import { fill, reflectionTexts } from './texts';
import { extractThemes } from './themes';


/** ISO weekday 1…7 as the `schedule` command reads it. */
const SLOT_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** What the scheduler and the CLI need from this feature. */
export interface ReflectionsFeature {
  repo: ReflectionRepository;
  dialogue: ReflectionDialogue;
  outbound: OutboundRenderer;
}

const features = new WeakMap<CoreServices, ReflectionsFeature>();

/** The feature registered on `core` (created on first use, so the CLI and scheduler share it). */
export function reflectionsOf(core: CoreServices): ReflectionsFeature {
  let feature = features.get(core);
  if (!feature) {
    const repo = new ReflectionRepository(core.db, core.config.defaultTimezone);
    const dialogue = new ReflectionDialogue(repo, core.config, core.logger);
    feature = { repo, dialogue, outbound: new OutboundRenderer(core, repo, dialogue) };
    features.set(core, feature);
  }
  return feature;
}

/** Commands whose arguments are free text, so the first word of an answer may collide with them. */
const FREE_TEXT_COMMANDS = new Set(['ask', 'trainings', 'postings', '1on1']);

const SCHEDULE_ARGS = /^(on|off|オン|オフ|開始|停止|tz\s+\S+|timezone\s+\S+|\S+\s+[0-9０-９]{1,2}[:：][0-9０-９]{2})$/i;
const PAUSE_ARGS = /^(\d{1,3}\s*(d|w|days?|weeks?|日|日間|週|週間)|\d{4}-\d{2}-\d{2}|week|this\s*week|今週|今週だけ|skip|スキップ)$/i;

export function registerReflections(core: CoreServices): void {
  const { router } = core;
  const { repo, dialogue } = reflectionsOf(core);

  const slotText = (weekday: number, time: string, locale: Locale) => {
    const day = reflectionMessages[locale].weekdays[weekday - 1]!;
    return locale === 'ja' ? `${day} ${time}` : `${day} at ${time}`;
  };
  const next = (iso: string | null, personId: number, locale: Locale) => (iso ? formatLocal(iso, repo.zoneOf(personId), locale) : null);

  const settingsReply = (personId: number, locale: Locale, now: Date, lead?: string): Reply => {
    const m = reflectionMessages[locale];
    const s = repo.settings(personId);
    const text = m.settings({
      enabled: s.enabled,
      slot: slotText(s.weekday, s.localTime, locale),
      timezone: s.timezone,
      next: next(s.nextDueAt, personId, locale),
      pausedUntil: s.pausedUntil,
      skipWeek: !!s.skipWeek && s.skipWeek >= cycleWeekOf(DateTime.fromJSDate(now, { zone: s.timezone })),
      invited: !!s.invitedAt,
    });
    const actions = s.enabled
      ? [
          s.pausedUntil || s.skipWeek ? { id: 'command', label: m.buttonResume, value: 'resume' } : { id: 'command', label: m.buttonSkipWeek, value: 'pause week' },
          { id: 'command', label: m.buttonPause, value: 'pause 2w' },
          { id: 'reflect.slot-form', label: m.buttonChangeSlot },
          { id: 'command', label: m.buttonOff, value: 'schedule off', style: 'danger' as const },
        ]
      : [
          { id: 'command', label: m.buttonOn, value: 'schedule on', style: 'primary' as const },
          { id: 'reflect.slot-form', label: m.buttonChangeSlot },
        ];
    return { kind: 'settings', locale, title: m.settingsTitle, text: [lead, text].filter(Boolean).join('\n\n'), actions, private: true };
  };

  const accept = (personId: number, locale: Locale, now: Date): Reply[] => {
    const s = repo.setConsent(personId, true, now);
    const t = reflectionTexts(locale).invitation;
    const text = fill(t.accepted, {
      slot: slotText(s.weekday, s.localTime, locale),
      timezone: s.timezone,
      next: next(s.nextDueAt, personId, locale) ?? '—',
    });
    return [{ kind: 'settings', locale, text, private: true, replaceOriginal: true }];
  };

  // ---- reflect ----------------------------------------------------------------------------------
  router.command(
    {
      name: 'reflect',
      summary: { ja: '今すぐふりかえりを始めます(経験→内省→持論化→試行)', en: 'starts a reflection now (experience → reflection → lesson → experiment)' },
      usage: { ja: 'reflect', en: 'reflect' },
      acceptsInDm: () => false,
      handle: ({ turn, locale, now }) => {
        const personId = turn.actor.personId;
        const open = repo.latestIncomplete(personId, now);
        if (open) {
          repo.touch(open.id, now);
          return [dialogue.stepReply(repo.session(open.id, personId)!, locale)];
        }
        const session = repo.startSession(personId, now);
        return [dialogue.stepReply(session, locale)];
      },
    },
    'ふりかえり',
  );

  // ---- schedule ---------------------------------------------------------------------------------
  router.command(
    {
      name: 'schedule',
      summary: {
        ja: '週次ふりかえりの設定を表示・変更します(on / off / 曜日と時刻 / tz)',
        en: 'shows or changes your weekly reflection (on / off / day and time / tz)',
      },
      usage: { ja: 'schedule [on|off|<曜日> <HH:MM>|tz <Area/City>]', en: 'schedule [on|off|<day> <HH:MM>|tz <Area/City>]' },
      acceptsInDm: (args) => SCHEDULE_ARGS.test(args.trim()),
      handle: ({ turn, locale, args, now }) => {
        const personId = turn.actor.personId;
        const m = reflectionMessages[locale];
        const a = args.trim();
        if (a === '') return [settingsReply(personId, locale, now)];
        const lower = a.toLowerCase();
        if (['on', 'オン', '開始'].includes(lower)) return accept(personId, locale, now);
        if (['off', 'オフ', '停止'].includes(lower)) {
          if (!repo.settings(personId).enabled) {
            repo.recordConsent(personId, false, now);
            return [{ kind: 'settings', locale, text: m.alreadyOff, private: true }];
          }
          repo.setConsent(personId, false, now);
          return [{ kind: 'settings', locale, text: m.stopped, private: true }];
        }
        const tz = /^(?:tz|timezone)\s+(\S+)$/i.exec(a);
        if (tz) {
          const zone = tz[1]!;
          if (!isValidTimeZone(zone)) return [{ kind: 'error', locale, text: m.badZone(zone), private: true }];
          core.people.updatePreferences(personId, { timezone: zone });
          const s = repo.update(personId, now, {});
          return [{ kind: 'settings', locale, text: m.zoneSaved(zone, s.enabled ? next(s.nextDueAt, personId, locale) : null), private: true }];
        }
        const parts = a.split(/\s+/);
        if (parts.length !== 2) return [{ kind: 'error', locale, text: m.badSchedule(a), private: true }];
        const weekday = parseWeekday(parts[0]!);
        if (!weekday) return [{ kind: 'error', locale, text: m.badDay(parts[0]!), private: true }];
        const time = parseLocalTime(parts[1]!);
        if (!time) return [{ kind: 'error', locale, text: m.badTime(parts[1]!), private: true }];
        const s = repo.update(personId, now, { weekday, localTime: time });
        return [{ kind: 'settings', locale, text: m.slotSaved(slotText(weekday, time, locale), s.timezone, next(s.nextDueAt, personId, locale), s.enabled), private: true }];
      },
    },
    'スケジュール',
  );

  // ---- pause / resume -----------------------------------------------------------------------------
  router.command(
    {
      name: 'pause',
      summary: { ja: '週次ふりかえりを一時停止します(例: 2w、10d、2026-12-31、week = 今週だけ)', en: 'pauses weekly reflections (e.g. 2w, 10d, 2026-12-31, week = skip this week)' },
      usage: { ja: 'pause <期間 | 日付 | week>', en: 'pause <duration | date | week>' },
      acceptsInDm: (args) => PAUSE_ARGS.test(args.trim()),
      handle: ({ turn, locale, args, now }) => {
        const personId = turn.actor.personId;
        const m = reflectionMessages[locale];
        const current = repo.settings(personId);
        if (!current.enabled) return [{ kind: 'info', locale, text: m.notEnabledForPause, private: true }];
        const parsed = parsePause(args, now, current.timezone);
        if (!parsed) return [{ kind: 'error', locale, text: m.badPause(args.trim() || 'pause'), private: true }];
        cancelPendingPrompts(core, personId);
        if ('skipWeek' in parsed) {
          if (!current.nextDueAt) return [{ kind: 'info', locale, text: m.skipped(null), private: true }];
          const week = cycleWeekOf(DateTime.fromISO(current.nextDueAt, { zone: current.timezone }));
          const s = repo.update(personId, now, { skipWeek: week });
          return [{ kind: 'settings', locale, text: m.skipped(next(s.nextDueAt, personId, locale)), private: true }];
        }
        const s = repo.update(personId, now, { pausedUntil: parsed.pausedUntil });
        return [{ kind: 'settings', locale, text: m.paused(parsed.pausedUntil, next(s.nextDueAt, personId, locale)), private: true }];
      },
    },
    '一時停止',
  );

  router.command(
    {
      name: 'resume',
      summary: { ja: '一時停止した週次ふりかえりを再開します', en: 'resumes paused weekly reflections' },
      usage: { ja: 'resume', en: 'resume' },
      acceptsInDm: () => false,
      handle: ({ turn, locale, now }) => {
        const personId = turn.actor.personId;
        const m = reflectionMessages[locale];
        const current = repo.settings(personId);
        if (!current.enabled) return [{ kind: 'info', locale, text: m.notEnabledForPause, private: true }];
        if (!current.pausedUntil && !current.skipWeek) return [settingsReply(personId, locale, now, m.notPaused)];
        const s = repo.update(personId, now, { pausedUntil: null, skipWeek: null });
        return [{ kind: 'settings', locale, text: m.resumed(next(s.nextDueAt, personId, locale)), private: true }];
      },
    },
    '再開',
  );

  // ---- journal -----------------------------------------------------------------------------------
  router.command(
    {
      name: 'journal',
      summary: { ja: 'ふりかえりジャーナル(最近のエントリ。編集・削除・共有)', en: 'your reflection journal (recent entries; edit, delete, share)' },
      usage: { ja: 'journal', en: 'journal' },
      acceptsInDm: () => false,
      handle: ({ turn, locale }) => journalReplies(repo, turn.actor.personId, locale),
    },
    'ジャーナル',
  );

  // ---- actions -----------------------------------------------------------------------------------
  router.action('reflect', async ({ turn, action, locale, now }: ActionContext) => {
    const personId = turn.actor.personId;
    if (action.id === 'reflect.accept') return accept(personId, locale, now);
    if (action.id === 'reflect.slot-form') {
      // The settings card's form: the same words as `schedule <day> <HH:MM>` and `schedule tz <zone>`.
      const m = reflectionMessages[locale];
      const s = repo.settings(personId);
      return [
        {
          kind: 'settings',
          locale,
          title: m.slotFormTitle,
          text: slotText(s.weekday, s.localTime, locale),
          inputs: [
            { id: 'slot', label: m.slotLabel, initial: `${SLOT_DAYS[s.weekday - 1]} ${s.localTime}` },
            { id: 'zone', label: m.zoneLabel, initial: s.timezone },
          ],
          actions: [{ id: 'reflect.slot-save', label: m.buttonSaveSlot, style: 'primary' }],
          private: true,
        },
      ];
    }
    if (action.id === 'reflect.slot-save') {
      const slot = action.inputs?.slot?.trim() ?? '';
      const zone = action.inputs?.zone?.trim() ?? '';
      const run = (words: string) => router.handle({ ...turn, surface: turn.surface === 'mention' ? 'mention' : 'command', action: undefined, text: words });
      const replies: Reply[] = [];
      if (zone && zone !== repo.settings(personId).timezone) replies.push(...(await run(`schedule tz ${zone}`)));
      if (slot) replies.push(...(await run(`schedule ${slot}`)));
      return replies.length > 0 ? replies : [settingsReply(personId, locale, now)];
    }
    if (action.id === 'reflect.decline') {
      if (!repo.settings(personId).enabled) repo.recordConsent(personId, false, now);
      return [{ kind: 'settings', locale, text: reflectionTexts(locale).invitation.declined, private: true, replaceOriginal: true }];
    }
    const [sessionId, step] = (action.value ?? '').split(':');
    const session = repo.session(Number(sessionId), personId);
    if (!session || !STEPS.includes(step as Step)) return [{ kind: 'info', locale, text: reflectionTexts(locale).stale_action, private: true }];
    if (action.id === 'reflect.stop') return dialogue.stop(session, locale, now);
    const text = action.id === 'reflect.answer' ? action.inputs?.answer ?? null : null;
    return dialogue.answer(session, step as Step, text, locale, now);
  });

  router.action('journal', ({ turn, action, locale, now }: ActionContext) => {
    const personId = turn.actor.personId;
    const m = reflectionMessages[locale];
    const id = Number(action.value);
    const entry = Number.isInteger(id) ? repo.entry(id, personId) : undefined;
    if (action.id === 'journal.delete.cancel') return [{ kind: 'info', locale, text: m.deleteCancelled, private: true, replaceOriginal: true }];
    if (!entry) return [{ kind: 'info', locale, text: m.entryNotFound, private: true }];
    const date = formatLocal(entry.createdAt, repo.zoneOf(personId), locale);
    switch (action.id) {
      case 'journal.edit':
        return [editReply(entry, locale)];
      case 'journal.save': {
        const inputs = action.inputs ?? {};
        const value = (k: string) => (k in inputs ? (inputs[k]!.trim() === '' ? null : inputs[k]!.trim()) : undefined);
        const fields = {
          experience: value('experience'),
          reflection: value('reflection'),
          lesson: value('lesson'),
          experiment: value('experiment'),
          experimentOutcome: value('outcome'),
        };
        const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
        repo.updateEntry(entry.id, personId, defined, now);
        const updated = repo.entry(entry.id, personId)!;
        repo.setThemes(updated.id, personId, extractThemes([updated.lesson, updated.experience, updated.reflection, updated.experiment]));
        return [{ kind: 'journal', locale, text: `${m.entrySaved}\n\n${formatEntry(updated, locale)}`, private: true, replaceOriginal: true }];
      }
      case 'journal.delete':
        return [
          {
            kind: 'confirm',
            locale,
            text: m.confirmDelete(date),
            actions: [
              { id: 'journal.delete.confirm', label: m.deleteConfirm, value: String(entry.id), style: 'danger' },
              { id: 'journal.delete.cancel', label: m.cancel, value: String(entry.id) },
            ],
            private: true,
          },
        ];
      case 'journal.delete.confirm':
        repo.deleteEntry(entry.id, personId);
        return [{ kind: 'info', locale, text: m.deleted, private: true, replaceOriginal: true }];
      case 'journal.share':
      case 'journal.unshare': {
        const shared = action.id === 'journal.share';
        repo.setShared(entry.id, personId, shared, now);
        return [{ kind: 'info', locale, text: shared ? m.sharedOn : m.sharedOff, private: true }];
      }
      default:
        return [{ kind: 'info', locale, text: m.entryNotFound, private: true }];
    }
  });

  // ---- free text while a reflection step is open ----------------------------------------------------
  router.addConversationHook(async ({ turn, locale, args, now, command }) => {
    // A real command (`journal`, `schedule off`) still runs. Commands that take free text
    // (`ask …`, `trainings …`) are answers while a step is open: "Ask my lead to co-host" is a plan,
    // not a question. `/career ask …` (a slash command) still consults.
    if (command?.strict && !(FREE_TEXT_COMMANDS.has(command.name) && args.trim().includes(' '))) return undefined;
    const session = repo.activeSession(turn.actor.personId, now);
    if (!session || session.step === 'done') return undefined;
    const word = controlWord(args);
    if (word === 'stop') return dialogue.stop(session, locale, now);
    return dialogue.answer(session, session.step, word === 'skip' ? null : args, locale, now);
  });
}

/** The journal: a heading, then one reply per entry with its own edit, delete and share buttons. */
export function journalReplies(repo: ReflectionRepository, personId: number, locale: Locale, limit = 5): Reply[] {
  const m = reflectionMessages[locale];
  const entries = repo.entries(personId, limit);
  if (entries.length === 0) return [{ kind: 'journal', locale, title: m.journalTitle, text: m.journalEmpty, private: true }];
  const total = repo.countEntries(personId);
  const zone = repo.zoneOf(personId);
  const preparations = repo.preparationsAbout(personId).map((p) => m.preparedBy(p.managerName, formatLocal(p.at, zone, locale)));
  const heading: Reply = {
    kind: 'journal',
    locale,
    title: m.journalTitle,
    text: [m.journalPrivate, total > entries.length ? m.journalMore(entries.length, total) : '', preparations.join('\n')].filter(Boolean).join('\n\n'),
    private: true,
  };
  const items = entries.map(
    (e): Reply => ({
      kind: 'journal',
      locale,
      text: `${m.entryHeading(formatLocal(e.createdAt, zone, locale), e.shared)}\n${formatEntry(e, locale)}`,
      actions: [
        { id: 'journal.edit', label: m.edit, value: String(e.id) },
        e.shared ? { id: 'journal.unshare', label: m.unshare, value: String(e.id) } : { id: 'journal.share', label: m.share, value: String(e.id) },
        { id: 'journal.delete', label: m.delete, value: String(e.id), style: 'danger' },
      ],
      private: true,
    }),
  );
  return [heading, ...items];
}

function editReply(entry: ReturnType<ReflectionRepository['entry']> & object, locale: Locale): Reply {
  const m = reflectionMessages[locale];
  const l = reflectionTexts(locale).labels;
  const field = (id: string, label: string, initial: string | null) => ({ id, label, initial: initial ?? '', multiline: true, optional: true });
  return {
    kind: 'journal',
    locale,
    title: m.editTitle,
    text: formatEntry(entry, locale) || '—',
    inputs: [
      field('experience', l.entry_experience, entry.experience),
      field('reflection', l.entry_reflection, entry.reflection),
      field('lesson', l.entry_lesson, entry.lesson),
      field('experiment', l.entry_experiment, entry.experiment),
      field('outcome', l.entry_outcome, entry.experimentOutcome),
    ],
    actions: [
      { id: 'journal.save', label: m.save, value: String(entry.id), style: 'primary' },
      { id: 'command', label: m.cancel, value: 'journal' },
    ],
    private: true,
  };
}

/** Pending weekly prompts and reminders are withdrawn when the person pauses. */
function cancelPendingPrompts(core: CoreServices, personId: number): void {
  core.db
    .prepare("UPDATE outbox SET status = 'cancelled', last_error = 'paused' WHERE person_id = ? AND status = 'pending' AND kind IN ('reflection_prompt','reminder')")
    .run(personId);
  core.db.prepare('UPDATE reflection_sessions SET reminder_due_at = NULL WHERE person_id = ? AND completed_at IS NULL').run(personId);
}
