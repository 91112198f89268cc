/**
 * The reflection dialogue: one short step at a time along the experiential-learning cycle
 * (経験 → 内省 → 持論化 → 試行), with last week's experiment recalled first when there was one.
 * Each step is a Reply with an input field (Teams cards, Slack blocks) that also reads well as
 * plain chat, where the person simply types the answer.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { Locale, Reply } from '../core/types';
import { createChatModel } from '../llm';
import { ENTRY_FIELDS, STEPS, type JournalEntry, type ReflectionRepository, type Session, type Step } from './reflection-repository';
import { looksLikeWholeCycle, splitAnswer } from './splitter';
import { fill, reflectionTexts } from './texts';
import { extractThemes } from './themes';

const SKIP_WORDS = new Set(['skip', 'pass', 'next', 'スキップ', 'すきっぷ', 'パス', 'とばす', '飛ばす', '次へ', 'なし']);
const STOP_WORDS = new Set(['stop', 'quit', 'cancel', 'end', '中断', 'やめる', '止める', 'おわり', '終わり', 'キャンセル']);

/** The word a person typed to skip a step or stop the session, if it is one. */
export function controlWord(text: string): 'skip' | 'stop' | undefined {
  const t = text.trim().toLowerCase().replace(/[。.!！]+$/, '');
  if (SKIP_WORDS.has(t)) return 'skip';
  if (STOP_WORDS.has(t)) return 'stop';
  return undefined;
}

export class ReflectionDialogue {
  private model?: BaseChatModel | null;

  constructor(
    private readonly repo: ReflectionRepository,
    private readonly config: Config,
    private readonly logger: Logger,
  ) {}

  /** The reply asking the session's current step. `lead` goes above the question (the weekly opening). */
  stepReply(session: Session, locale: Locale, lead?: string): Reply {
    const t = reflectionTexts(locale);
    const step = session.step === 'done' ? 'experience' : session.step;
    const steps = STEPS.filter((s) => s !== 'outcome' || session.recallEntryId);
    const n = steps.indexOf(step) + 1;
    let question = t.steps[step].question;
    if (step === 'outcome') {
      const recalled = session.recallEntryId ? this.repo.entry(session.recallEntryId, session.personId) : undefined;
      question = recalled?.experiment ? fill(t.prompt.recall, { experiment: clip(recalled.experiment, 200) }) : question;
    }
    const value = `${session.id}:${step}`;
    return {
      kind: 'reflection',
      locale,
      title: fill(t.step_title, { n, total: steps.length, label: t.steps[step].label }),
      text: [lead, question, t.skip_hint].filter(Boolean).join('\n\n'),
      inputs: [{ id: 'answer', label: t.answer_label, placeholder: t.answer_placeholder, multiline: true, optional: true }],
      actions: [
        { id: 'reflect.answer', label: t.submit, value, style: 'primary' },
        { id: 'reflect.skip', label: t.skip, value },
        { id: 'reflect.stop', label: t.stop, value },
      ],
      private: true,
    };
  }

  /**
   * Takes the person's answer (null = skip) to `step` of `session` and returns what to show next.
   * A stale step (already answered, or another session) gets a clear reason instead.
   */
  async answer(session: Session, step: Step, text: string | null, locale: Locale, now: Date): Promise<Reply[]> {
    const t = reflectionTexts(locale);
    if (session.completedAt || session.step !== step) return [{ kind: 'info', locale, text: t.stale_action, private: true }];
    const answer = text?.trim() ? text.trim() : null;
    let note: string | undefined;
    let next: Session;
    if (step === 'experience' && answer && looksLikeWholeCycle(answer) && this.chatModel()) {
      const split = await splitAnswer(answer, this.chatModel(), this.logger, {
        maxRetries: this.config.llm.maxRetries,
        budgetMs: this.config.llm.timeoutMs * 2,
      });
      this.repo.fillEntry(session, split.fields, now);
      if (split.split) note = t.split_note;
      const remaining = ENTRY_FIELDS.filter((f) => f !== 'experience' && !split.fields[f]);
      next = this.repo.moveTo(session, remaining[0] ?? 'done', now);
      if (split.themes.length > 0 && session.entryId) this.repo.setThemes(session.entryId, session.personId, split.themes);
    } else {
      next = this.repo.answer(session, step, answer, now);
    }
    if (next.step !== 'done') {
      const reply = this.stepReply(next, locale, note);
      return [reply];
    }
    return [this.finish(next, locale, note)];
  }

  /** Ends the session now, keeping what was written. */
  stop(session: Session, locale: Locale, now: Date): Reply[] {
    const t = reflectionTexts(locale);
    this.repo.closeSession(session.id, session.personId, now);
    const entry = session.entryId ? this.repo.entry(session.entryId, session.personId) : undefined;
    if (entry) this.saveThemes(entry);
    return [{ kind: 'info', locale, text: entry ? t.stopped : t.nothing_saved, private: true }];
  }

  private finish(session: Session, locale: Locale, note?: string): Reply {
    const t = reflectionTexts(locale);
    const entry = session.entryId ? this.repo.entry(session.entryId, session.personId) : undefined;
    if (!entry) return { kind: 'info', locale, text: [note, t.nothing_saved].filter(Boolean).join('\n\n'), private: true };
    this.saveThemes(entry);
    const body = entry.experiment ? fill(t.saved, { entry: formatEntry(entry, locale) }) : `${t.saved_no_experiment}\n${formatEntry(entry, locale)}`;
    return {
      kind: 'journal',
      locale,
      title: t.saved_title,
      text: [note, body].filter(Boolean).join('\n\n'),
      actions: [
        { id: 'command', label: locale === 'ja' ? 'ジャーナルを見る' : 'Open journal', value: 'journal' },
        { id: 'journal.share', label: locale === 'ja' ? '上司と共有する' : 'Share with my manager', value: String(entry.id) },
      ],
      private: true,
    };
  }

  private saveThemes(entry: JournalEntry): void {
    if (entry.themes.length > 0) return;
    const themes = extractThemes([entry.lesson, entry.experience, entry.reflection, entry.experiment]);
    if (themes.length > 0) this.repo.setThemes(entry.id, entry.personId, themes);
  }

  private chatModel(): BaseChatModel | undefined {
    if (this.model === undefined) this.model = createChatModel(this.config, { streaming: false, temperature: 0 }) ?? null;
    return this.model ?? undefined;
  }
}

/** An entry as a few labelled lines (Markdown subset every renderer understands). */
export function formatEntry(entry: JournalEntry, locale: Locale): string {
  const l = reflectionTexts(locale).labels;
  const lines: string[] = [];
  const add = (label: string, value: string | null) => {
    if (value) lines.push(`- **${label}**: ${clip(value, 300)}`);
  };
  add(l.entry_experience, entry.experience);
  add(l.entry_reflection, entry.reflection);
  add(l.entry_lesson, entry.lesson);
  add(l.entry_experiment, entry.experiment);
  add(l.entry_outcome, entry.experimentOutcome);
  return lines.join('\n');
}

export function clip(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max).join('')}…`;
}
