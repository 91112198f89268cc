/**
 * `tsumiki invite [EMPLOYEE_ID…] [--db FILE] [--json]`: sends the one-time invitation to weekly
 * reflections (purpose, who sees what, an accept button) to every imported person not yet invited,
 * or to those listed, through the outbox and the configured channels.
 */
import { attachChannelSenders, buildCore } from '../../app';
import { queueInvitations } from '../../reflections/invitations';
import { createScheduler } from '../../scheduler';
import type { CliCommand } from '../cli-command';

export const inviteCommand: CliCommand = {
  name: 'invite',
  usage: 'tsumiki invite [EMPLOYEE_ID…] [--db FILE] [--json]',
  summary: 'sends the one-time invitation to weekly reflections to everyone not yet invited, or to those listed',
  options: { json: { type: 'boolean' } },
  positionals: [0, Infinity],
  async run(ctx) {
    const core = buildCore(ctx.config(), ctx.logger());
    try {
      const now = core.clock();
      const channels = attachChannelSenders(core);
      const plan = queueInvitations(core, now, ctx.positionals);
      const sent = await createScheduler(core).dispatch(now, { kinds: ['invitation'], budgetMs: 30 * 60_000 });
      if (ctx.values.json) {
        ctx.io.stdout.write(`${JSON.stringify({ channels, ...plan, sent: sent.sent, failed: sent.failed, waiting: sent.waiting, retried: sent.retried })}\n`);
      } else {
        for (const id of plan.unknown) ctx.io.stderr.write(`not in the organisation import: ${id}\n`);
        ctx.io.stderr.write(
          `invitations: ${plan.queued} queued, ${sent.sent} sent, ${sent.failed} failed, ${sent.retried} to retry, ${sent.waiting} waiting for a channel, ` +
            `${plan.alreadyInvited.length} already invited` +
            (channels.length === 0 ? ' (no channel configured: they stay queued and go out when the bot runs)' : '') +
            '\n',
        );
      }
      return plan.unknown.length > 0 || sent.failed > 0 ? 1 : 0;
    } finally {
      await core.close();
    }
  },
};
