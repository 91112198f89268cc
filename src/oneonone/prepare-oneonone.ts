/**
 * The `1on1 <member>` use case: find the member, check the asker may prepare their 1on1, read
 * what the member shared (only through `sharedContextFor`), suggest questions (model, else the
 * curated bank), find opportunities, record the preparation, and render one reply.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { CoreServices } from '../core/core-services';
import type { CommandContext } from '../core/router';
import type { ActionButton, Actor, Locale, Reply } from '../core/types';
import type { Person } from '../people/people-repository';
import { subjectHash } from '../privacy/pseudonym';
import { oneOnOneMessages } from './messages';
import { authorizeOneOnOne, lookUpMember, visiblePeople } from './member-lookup';
import { generateSuggestions, type GeneratedSuggestion } from './model-suggester';
import { findOpportunities, type Opportunity } from './opportunities';
import { recentSuggestions, recordPreparation } from './preparation-log';
import { CATEGORIES, chooseFromBank, loadQuestionBank, type Category, type OfflineSelection } from './question-bank';
import { hasSharedContent, sharedContextFor, type SharedContext } from './shared-context';

/** The suggestions shown to the manager, whichever way they were made. */
export interface OneOnOneSuggestions {
  questions: Array<{ category: Category; text: string; id?: string }>;
  opening: string;
  openingId?: string;
  generated: boolean;
  /** A model is configured but its answer could not be used. */
  fellBack?: boolean;
}

const MAX_QUESTIONS = 7;
const MAX_LISTED_REPORTS = 8;
const BUTTON_REPORTS = 5;

/** Handles `1on1 <member>`; never throws for bad input, always says what to do instead. */
export async function prepareOneOnOne(core: CoreServices, ctx: CommandContext, model: BaseChatModel | undefined): Promise<Reply[]> {
  const asker = ctx.turn.actor;
  // The manager's own language: the argument is a name, which says nothing about the language wanted.
  const locale: Locale = asker.locale;
  const m = oneOnOneMessages[locale];
  const hr = core.config.hrEmployeeIds;
  const info = (text: string, actions?: ActionButton[]): Reply[] => [{ kind: 'info', locale, text, private: true, actions }];

  if (asker.isGuest || !asker.employeeId) return info(m.guest);
  const isHr = hr.includes(asker.employeeId);
  const visible = visiblePeople(asker, core.people, hr);
  // "Your team" for a manager; HR may see everyone, which is no useful list.
  const reports = isHr ? core.people.reportsOf(asker.employeeId).filter((p) => p.id !== asker.personId) : visible;
  const reportLabels = reports.slice(0, MAX_LISTED_REPORTS).map(label);
  const reportButtons: ActionButton[] = reports
    .slice(0, BUTTON_REPORTS)
    .filter((p) => p.employeeId)
    .map((p) => ({ id: 'command', label: p.name ?? p.employeeId!, value: `1on1 ${p.employeeId}` }));

  const lookup = lookUpMember(ctx.args, asker, core.people, visible, isHr);
  switch (lookup.kind) {
    case 'empty':
      return info(m.empty(reportLabels, reports[0]?.name ?? undefined), reportButtons.length > 0 ? reportButtons : undefined);
    case 'unknown':
      audit(core, asker, null, 'unknown_member');
      if (lookup.how === 'mention') return info(m.unknownMention);
      if (lookup.how === 'email') return info(m.unknownEmail(lookup.query));
      return info(m.unknownName(clip(lookup.query), reportLabels));
    case 'ambiguous':
      return info(m.ambiguous(clip(lookup.query), lookup.candidates.map(label)));
    case 'notVisible':
      audit(core, asker, null, 'not_a_report');
      return info(m.notVisible(clip(lookup.query), reportLabels));
    case 'found':
      break;
  }
  const member = lookup.person;
  const decision = authorizeOneOnOne(asker, member, hr);
  if (!decision.allowed) {
    audit(core, asker, member, decision.reason === 'self' ? 'self' : decision.reason === 'guest' ? 'guest' : 'not_a_report');
    if (decision.reason === 'self') return info(m.self);
    if (decision.reason === 'guest') return info(m.guest);
    return info(m.notReport(member.name ?? m.someone, reportLabels));
  }

  // The only read of the member's reflections.
  const shared = sharedContextFor(core.db, member.id);
  const recent = recentSuggestions(core.db, member.id);
  const bank = loadQuestionBank();
  const selection = chooseFromBank(bank, {
    sharedText: [...shared.themes, ...shared.lessons],
    lesson: shared.lessons[0],
    theme: shared.themes[0],
    recent,
    locale,
  });

  let suggestions = fromBank(selection);
  if (model) {
    await ctx.observer.onStatus?.(m.thinking);
    const recentTexts = recent
      .slice(0, 3)
      .flat()
      .map((item) => bank.questions.find((q) => q.id === item)?.[locale] ?? (/^[a-z]+-\d+$/.test(item) ? undefined : item))
      .filter((t): t is string => !!t && !t.includes('{'));
    const generated = await generateSuggestions(model, shared, recentTexts, locale, {
      timeoutMs: core.config.llm.timeoutMs,
      maxRetries: core.config.llm.maxRetries,
      logger: core.logger,
      signal: ctx.observer.signal,
    });
    suggestions = generated ? mergeGenerated(generated, selection, recentTexts) : { ...suggestions, fellBack: true };
  }

  const opportunities = await findOpportunities(core.knowledge, shared.themes, locale, ctx.now, core.logger);
  recordPreparation(
    core.db,
    asker.personId,
    member.id,
    { questions: suggestions.questions.map((q) => q.id ?? q.text), opening: suggestions.openingId ?? suggestions.opening },
    ctx.now,
  );
  core.logger.info({ basis: decision.basis, generated: suggestions.generated, questions: suggestions.questions.length }, '1on1 prepared');

  return [
    {
      kind: 'oneonone',
      locale,
      title: m.title(member.name ?? m.someone),
      text: renderSuggestions(locale, member, shared, suggestions, opportunities, lookup.extra !== ''),
      sources: opportunities.map(({ snippet: _snippet, ...citation }) => citation),
      generated: suggestions.generated,
      private: true,
    },
  ];
}

function fromBank(selection: OfflineSelection): OneOnOneSuggestions {
  return {
    questions: selection.questions.map((q) => ({ category: q.category, text: q.text, id: q.id })),
    opening: selection.opening.text,
    openingId: selection.opening.id,
    generated: false,
  };
}

/**
 * Takes the model's questions, drops repeats of recent ones, and fills any category the model
 * left empty from the bank, so every part of the conversation is covered.
 */
export function mergeGenerated(generated: GeneratedSuggestion, selection: OfflineSelection, recentTexts: string[]): OneOnOneSuggestions {
  const seen = new Set(recentTexts.map(key));
  const questions: OneOnOneSuggestions['questions'] = [];
  for (const q of generated.questions) {
    if (seen.has(key(q.text))) continue;
    seen.add(key(q.text));
    questions.push({ category: q.category, text: q.text });
  }
  for (const category of CATEGORIES) {
    if (!questions.some((q) => q.category === category)) {
      const fallback = selection.questions.find((q) => q.category === category);
      if (fallback) questions.push({ category, text: fallback.text, id: fallback.id });
    }
  }
  // Keep at most MAX_QUESTIONS, never dropping a category's only question.
  while (questions.length > MAX_QUESTIONS) {
    const counts = new Map<Category, number>();
    for (const q of questions) counts.set(q.category, (counts.get(q.category) ?? 0) + 1);
    const index = questions.map((q, i) => ({ q, i })).reverse().find(({ q }) => (counts.get(q.category) ?? 0) > 1)!.i;
    questions.splice(index, 1);
  }
  questions.sort((a, b) => CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category));
  return { questions, opening: generated.opening, generated: true };
}

function key(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s\p{P}]+/gu, '');
}

/** The reply body in the small Markdown subset every channel renders. */
export function renderSuggestions(
  locale: Locale,
  member: Person,
  shared: SharedContext,
  suggestions: OneOnOneSuggestions,
  opportunities: Opportunity[],
  extraIgnored: boolean,
): string {
  const m = oneOnOneMessages[locale];
  const bank = loadQuestionBank();
  const parts: string[] = [];
  parts.push(
    hasSharedContent(shared)
      ? m.sharedBasis(shared.themes.slice(0, 5), shared.lessons.length, shared.entries.filter((e) => e.experience || e.experiment).length)
      : m.nothingShared(member.name ?? m.someone),
  );
  if (extraIgnored) parts.push(m.extraIgnored);
  let n = 0;
  const sections: string[] = [];
  for (const category of CATEGORIES) {
    const questions = suggestions.questions.filter((q) => q.category === category);
    if (questions.length === 0) continue;
    const meta = bank.categories.find((c) => c.id === category)!;
    sections.push([`**${meta.label[locale]}** — ${meta.hint[locale]}`, ...questions.map((q) => `${++n}. ${q.text}`)].join('\n'));
  }
  parts.push(sections.join('\n\n'));
  parts.push(`**${m.openingHeading}**\n${suggestions.opening}`);
  if (opportunities.length > 0) {
    const lines = opportunities.map((o) => {
      const deadline = o.kind === 'posting' && o.deadline ? ` (${m.deadline(o.deadline.slice(0, 10))})` : '';
      return `- [${o.title}](${o.url}) [${o.n}]${deadline}`;
    });
    parts.push(`**${m.opportunitiesHeading}**\n${lines.join('\n')}`);
  } else {
    parts.push(`**${m.opportunitiesHeading}**\n${m.noOpportunities}`);
  }
  const footer = [suggestions.generated ? undefined : suggestions.fellBack ? m.fallbackNote : m.offlineNote, m.memberSees].filter(Boolean).join('\n');
  parts.push(footer);
  return parts.join('\n\n');
}

/** How a person is shown in candidate lists: name and e-mail, which the asker needs to disambiguate. */
function label(person: Person): string {
  const name = person.name ?? person.employeeId ?? '?';
  return person.email ? `${name} (${person.email})` : `${name} (${person.employeeId ?? ''})`;
}

function clip(text: string): string {
  const chars = [...text.replace(/\s+/g, ' ')];
  return chars.length <= 40 ? chars.join('') : `${chars.slice(0, 40).join('')}…`;
}

function audit(core: CoreServices, asker: Actor, member: Person | null, outcome: string): void {
  try {
    core.db
      .prepare('INSERT INTO audit_log (at, action, actor_hash, subject_hash, detail) VALUES (?, ?, ?, ?, ?)')
      .run(
        core.clock().toISOString(),
        '1on1_refused',
        asker.employeeId ? subjectHash(core.db, `employee:${asker.employeeId}`) : null,
        member?.employeeId ? subjectHash(core.db, `employee:${member.employeeId}`) : null,
        JSON.stringify({ outcome }),
      );
  } catch (error) {
    core.logger.warn({ err: error }, '1on1: could not write the audit line');
  }
}
