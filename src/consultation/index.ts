/** Career consultation: registers the free-text handler, the `ask`, `trainings`, `postings` commands and 👍/👎 feedback. */
import type { CoreServices } from '../core/core-services';
import { ConsultationService, type ConsultationOptions } from './consultation-service';
import { consultationMessages } from './messages';

export { ConsultationService, type ConsultationOptions } from './consultation-service';

/** A topic for `trainings`/`postings` typed in a DM, not a question that happens to start with the word. */
function looksLikeTopic(args: string): boolean {
  return args.length <= 40 && !/[?？]/.test(args) && args.split(/\s+/).length <= 5;
}

export function registerConsultation(core: CoreServices, options: ConsultationOptions = {}): ConsultationService {
  const service = new ConsultationService(core, options);
  const ja = consultationMessages.ja;
  const en = consultationMessages.en;
  core.router
    .command({
      name: 'ask',
      summary: { ja: ja.askSummary, en: en.askSummary },
      usage: { ja: ja.askUsage, en: en.askUsage },
      acceptsInDm: () => true,
      handle: (ctx) =>
        ctx.args === ''
          ? [{ kind: 'info', locale: ctx.locale, text: consultationMessages[ctx.locale].askEmpty }]
          : service.consult({ ...ctx, publicOnly: ctx.turn.surface === 'mention' }, ctx.args),
    })
    .command({
      name: 'trainings',
      summary: { ja: ja.trainingsSummary, en: en.trainingsSummary },
      usage: { ja: ja.trainingsUsage, en: en.trainingsUsage },
      acceptsInDm: looksLikeTopic,
      handle: (ctx) => service.list(ctx, 'training', ctx.args),
    })
    .command({
      name: 'postings',
      summary: { ja: ja.postingsSummary, en: en.postingsSummary },
      usage: { ja: ja.postingsUsage, en: en.postingsUsage },
      acceptsInDm: looksLikeTopic,
      handle: (ctx) => service.list(ctx, 'posting', ctx.args),
    })
    .action('feedback', (ctx) => service.feedback(ctx.turn.actor.personId, ctx.locale, ctx.action.id, ctx.action.value, ctx.now))
    .setConsultation((ctx) => service.consult(ctx, ctx.args));
  return service;
}
