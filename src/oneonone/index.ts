/**
 * 1on1 question suggestions for people managers, grounded only in what the member chose to share:
 * the `1on1 <member>` command (direct manager or HR) and the member's `share on|off`.
 */
import type { CoreServices } from '../core/core-services';
import { createChatModel } from '../llm';
import { oneOnOneMessages } from './messages';
import { prepareOneOnOne } from './prepare-oneonone';
import { loadQuestionBank } from './question-bank';
import { loadSuggestPrompt } from './model-suggester';
import { handleShare, isShareArgument } from './share-command';

export { sharedContextFor, type SharedContext } from './shared-context';
export { preparationsAbout } from './preparation-log';

/** Registers `1on1` and `share` on the router. Reads the curated texts now, so a broken file fails at start. */
export function registerOneOnOne(core: CoreServices): void {
  loadQuestionBank();
  loadSuggestPrompt();
  // Not streamed: the answer is JSON, checked whole before anyone sees it.
  const model = createChatModel(core.config, { streaming: false, temperature: 0.7, maxTokens: 1200 });

  core.router.command(
    {
      name: '1on1',
      summary: { ja: oneOnOneMessages.ja.summary, en: oneOnOneMessages.en.summary },
      usage: { ja: oneOnOneMessages.ja.usage, en: oneOnOneMessages.en.usage },
      membersOnly: true,
      handle: (ctx) => prepareOneOnOne(core, ctx, model),
    },
    'oneonone',
    '1on1準備',
  );

  core.router.command({
    name: 'share',
    summary: { ja: oneOnOneMessages.ja.shareSummary, en: oneOnOneMessages.en.shareSummary },
    usage: { ja: oneOnOneMessages.ja.shareUsage, en: oneOnOneMessages.en.shareUsage },
    membersOnly: true,
    acceptsInDm: isShareArgument,
    handle: (ctx) => handleShare(core, ctx),
  });
}
