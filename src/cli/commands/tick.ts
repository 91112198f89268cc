/**
 * `tsumiki tick --now ISO8601 [--db FILE] [--json]`: one scheduler pass as if the clock read that
 * instant: weekly prompts, summaries and reminders due then are queued and sent through the
 * configured channels (Slack, Teams). A summary goes to stderr, or JSON to stdout with --json.
 */
import { attachChannelSenders, buildCore } from '../../app';
import { createScheduler } from '../../scheduler';
import { UsageError, type CliCommand } from '../cli-command';

/** Parses an ISO 8601 instant with an explicit offset or Z, e.g. 2026-11-27T07:00:00Z. */
export function parseInstant(text: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text.trim())) {
    throw new UsageError(`--now "${text}" is not an ISO 8601 instant with a zone, e.g. 2026-11-27T07:00:00Z or 2026-11-27T16:00:00+09:00`);
  }
  const date = new Date(text.trim());
  if (Number.isNaN(date.getTime())) throw new UsageError(`--now "${text}" is not a real date and time`);
  return date;
}

export const tickCommand: CliCommand = {
  name: 'tick',
  usage: 'tsumiki tick [--now ISO8601] [--db FILE] [--json]',
  summary: 'one scheduler pass as if the clock read that instant (default: now), sending what is due through the configured channels',
  options: { now: { type: 'string' }, json: { type: 'boolean' } },
  positionals: [0, 0],
  async run(ctx) {
    const now = typeof ctx.values.now === 'string' ? parseInstant(ctx.values.now) : new Date();
    const core = buildCore(ctx.config(), ctx.logger(), { clock: () => now });
    try {
      const channels = attachChannelSenders(core);
      const report = await createScheduler(core).tick(now);
      if (ctx.values.json) ctx.io.stdout.write(`${JSON.stringify({ now: now.toISOString(), channels, ...report })}\n`);
      else {
        ctx.io.stderr.write(
          `tick at ${now.toISOString()}: ${report.due ?? 0} due, ${report.enqueued} queued, ${report.sent} sent, ${report.failed} failed, ` +
            `${report.retried ?? 0} to retry, ${report.skipped ?? 0} skipped, ${report.waiting ?? 0} waiting for a channel` +
            (channels.length === 0 ? ' (no channel configured: messages stay queued until one is)' : ` via ${channels.join(', ')}`) +
            '\n',
        );
      }
      return report.failed > 0 ? 1 : 0;
    } finally {
      await core.close();
    }
  },
};
