/**
 * What the scheduler sends unprompted: the one-time invitation, the weekly prompt (which opens
 * that week's session), the reminder and the four-weekly summary. Rendered at send time, so a
 * prompt recalls the experiment as it stands then, in the person's language.
 */
import { DateTime } from 'luxon';
import type { CoreServices } from '../core/core-services';
import type { Locale, Reply } from '../core/types';
import type { ReflectionDialogue } from './dialogue';
import { clip } from './dialogue';
import { reflectionMessages } from './messages';
import { formatLocal, type ReflectionRepository } from './reflection-repository';
import { fill, reflectionTexts } from './texts';
import { extractThemes } from './themes';

export type OutboundKind = 'invitation' | 'reflection_prompt' | 'reminder' | 'summary';

export interface OutboundPayload {
  cycleWeek?: string;
  /** The slot instant (UTC ISO) this prompt belongs to. */
  slotAt?: string;
  /** After this instant the message is stale and is not sent (catch-up rule). */
  expiresAt?: string;
}

/** Hours after a weekly prompt when the single reminder is due, if nothing was answered. */
export const REMINDER_AFTER_HOURS = 48;

/** The replies to send, or null when the message no longer applies (consent withdrawn, week skipped, nothing to say). */
export type Rendered = Reply[] | null;

export class OutboundRenderer {
  constructor(
    private readonly core: CoreServices,
    private readonly repo: ReflectionRepository,
    private readonly dialogue: ReflectionDialogue,
  ) {}

  localeOf(personId: number): Locale {
    const row = this.core.db.prepare('SELECT locale FROM people WHERE id = ?').get(personId) as { locale: string | null } | undefined;
    return row?.locale === 'en' || row?.locale === 'ja' ? row.locale : this.core.config.defaultLocale;
  }

  private nameOf(personId: number, locale: Locale): string {
    const row = this.core.db.prepare('SELECT name FROM people WHERE id = ?').get(personId) as { name: string | null } | undefined;
    return row?.name ?? (locale === 'ja' ? 'あなた' : 'there');
  }

  /** Builds the message for one outbox row. Side effect: a weekly prompt opens its session (once per week). */
  async render(kind: OutboundKind, personId: number, payload: OutboundPayload, now: Date): Promise<Rendered> {
    const locale = this.localeOf(personId);
    switch (kind) {
      case 'invitation':
        return [this.invitation(personId, locale)];
      case 'reflection_prompt':
        return this.prompt(personId, payload, locale, now);
      case 'reminder':
        return this.reminder(personId, payload, locale);
      case 'summary':
        return this.summary(personId, locale, now);
      default:
        return null;
    }
  }

  invitation(personId: number, locale: Locale): Reply {
    const t = reflectionTexts(locale);
    return {
      kind: 'invitation',
      locale,
      title: t.invitation.title,
      text: fill(t.invitation.text, { name: this.nameOf(personId, locale), timezone: this.repo.zoneOf(personId) }),
      actions: [
        { id: 'reflect.accept', label: t.invitation.accept, style: 'primary' },
        { id: 'reflect.decline', label: t.invitation.later },
      ],
      private: true,
    };
  }

  private prompt(personId: number, payload: OutboundPayload, locale: Locale, now: Date): Rendered {
    const settings = this.repo.settings(personId);
    if (!settings.enabled || !payload.cycleWeek) return null;
    if (settings.skipWeek === payload.cycleWeek) return null;
    const t = reflectionTexts(locale);
    const session = this.repo.startSession(personId, now, {
      cycleWeek: payload.cycleWeek,
      reminderDueAt: new Date(now.getTime() + REMINDER_AFTER_HOURS * 3_600_000),
    });
    if (session.completedAt) return null;
    const opening = fill(t.prompt.opening, { name: this.nameOf(personId, locale) });
    return [{ ...this.dialogue.stepReply(session, locale, opening), title: t.prompt.title }];
  }

  private reminder(personId: number, payload: OutboundPayload, locale: Locale): Rendered {
    if (!payload.cycleWeek || !this.repo.settings(personId).enabled) return null;
    const session = this.repo.sessionForWeek(personId, payload.cycleWeek);
    // Only when nothing at all was answered: the session is still at its first step.
    if (!session || session.completedAt || session.step !== (session.recallEntryId ? 'outcome' : 'experience')) return null;
    const t = reflectionTexts(locale);
    const zone = this.repo.zoneOf(personId);
    const weekday = reflectionMessages[locale].weekdays[DateTime.fromISO(session.startedAt, { zone }).weekday - 1]!;
    return [{ ...this.dialogue.stepReply(session, locale, fill(t.reminder.text, { weekday })), title: t.reminder.title }];
  }

  /** The last four weeks' lessons with one fitting training, posting or job-shadowing programme. */
  async summary(personId: number, locale: Locale, now: Date): Promise<Rendered> {
    if (!this.repo.settings(personId).enabled) return null;
    const t = reflectionTexts(locale).summary;
    const entries = this.repo.entriesSince(personId, new Date(now.getTime() - 28 * 86_400_000));
    const lessons = entries.map((e) => e.lesson).filter((l): l is string => !!l);
    const name = this.nameOf(personId, locale);
    if (lessons.length === 0) return [{ kind: 'reflection', locale, title: t.title, text: `${fill(t.intro, { name })}\n\n${t.no_lessons}`, private: true }];
    const counted = new Map<string, number>();
    for (const e of entries) for (const theme of e.themes) counted.set(theme, (counted.get(theme) ?? 0) + 1);
    const themes = counted.size > 0 ? [...counted.entries()].sort((a, b) => b[1] - a[1]).map(([w]) => w).slice(0, 3) : extractThemes(lessons);
    const parts = [fill(t.intro, { name }), `${t.lessons}\n${lessons.map((l) => `- ${clip(l, 200)}`).join('\n')}`];
    if (themes.length > 0) parts.push(fill(t.themes, { themes: themes.join(locale === 'ja' ? '、' : ', ') }));
    const opportunity = await this.opportunity(themes, now);
    if (opportunity) {
      const deadline = opportunity.deadline ? fill(t.deadline, { date: opportunity.deadline }) : '';
      parts.push(fill(t.opportunity, { title: opportunity.title, url: opportunity.url, deadline, theme: opportunity.theme }));
    }
    parts.push(t.closing);
    return [
      {
        kind: 'reflection',
        locale,
        title: t.title,
        text: parts.join('\n\n'),
        sources: opportunity ? [{ n: 1, id: opportunity.id, title: opportunity.title, url: opportunity.url, kind: opportunity.kind, deadline: opportunity.deadline }] : undefined,
        private: true,
      },
    ];
  }

  private async opportunity(themes: string[], now: Date) {
    if (themes.length === 0) return undefined;
    try {
      const hits = await this.core.knowledge.search(themes.join(' '), { kinds: ['training', 'posting', 'shadowing'], k: 5, now });
      const hit = hits[0];
      if (!hit) return undefined;
      const haystack = `${hit.document.title} ${hit.document.skills.join(' ')} ${hit.text}`.toLowerCase();
      const theme = themes.find((th) => haystack.includes(th.toLowerCase())) ?? themes[0]!;
      return { ...hit.document, theme, deadline: hit.document.deadline ?? null };
    } catch (error) {
      this.core.logger.warn({ err: error }, 'summary: knowledge search failed; summary sent without an opportunity');
      return undefined;
    }
  }

  /** "Fri 27 Nov 2026, 16:00" in the person's zone, or null. */
  formatNext(iso: string | null, personId: number, locale: Locale): string | null {
    return iso ? formatLocal(iso, this.repo.zoneOf(personId), locale) : null;
  }
}
