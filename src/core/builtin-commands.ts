/** Commands every deployment has, whatever features are enabled. */
import type { Router } from './router';

export function registerBuiltinCommands(router: Router): void {
  router.command({
    name: 'help',
    summary: { ja: 'Tsumiki でできることを表示します', en: 'shows what Tsumiki can do' },
    usage: { ja: 'help', en: 'help' },
    acceptsInDm: (args) => args === '',
    handle: ({ locale }) => [router.helpReply(locale)],
  }, 'ヘルプ', '?');
}
