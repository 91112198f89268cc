/** `tsumiki ask "QUESTION" --user EMPLOYEE_ID`: one turn through the same core the bots use. */
import { buildCore } from '../../app';
import type { Reply } from '../../core/types';
import { UsageError, type CliCommand } from '../cli-command';

export const askCommand: CliCommand = {
  name: 'ask',
  usage: 'tsumiki ask "QUESTION" --user EMPLOYEE_ID [--db FILE] [--json]',
  summary: 'one turn as that person (chat commands such as `1on1 …` work too); prints the answer and its sources',
  options: { user: { type: 'string' }, json: { type: 'boolean' }, data: { type: 'string' } },
  positionals: [1, 1],
  async run(ctx) {
    const user = ctx.values.user;
    if (typeof user !== 'string' || user.trim() === '') throw new UsageError('--user EMPLOYEE_ID is required');
    const core = buildCore(ctx.config(), ctx.logger());
    try {
      // Like `search`: an empty index is filled from the data folder first, so a first `ask` has documents.
      if (core.knowledge.stats().documents === 0) {
        const report = await core.knowledge.ingest(core.config.dataDir);
        for (const p of report.problems) ctx.io.stderr.write(`${p.path}: ${p.reason}\n`);
      }
      const actor = core.actors.forEmployee(user.trim());
      const replies = await core.router.handle({ actor, surface: 'cli', threadKey: `cli:${actor.personId}`, text: ctx.positionals[0] });
      if (ctx.values.json) ctx.io.stdout.write(`${JSON.stringify(replies, null, 2)}\n`);
      else ctx.io.stdout.write(replies.map(formatReply).join('\n\n---\n\n') + '\n');
      return 0;
    } finally {
      await core.close();
    }
  },
};

/** Plain-text rendering for the terminal. */
export function formatReply(reply: Reply): string {
  const parts: string[] = [];
  if (reply.title) parts.push(`# ${reply.title}`);
  parts.push(reply.text);
  if (reply.sources?.length) parts.push(reply.sources.map((s) => `[${s.n}] ${s.title} <${s.url}>`).join('\n'));
  if (reply.actions?.length) parts.push(reply.actions.map((a) => `( ${a.label} )`).join(' '));
  if (reply.file) parts.push(`(file: ${reply.file.name}, ${reply.file.content.length} bytes)`);
  return parts.join('\n\n');
}
