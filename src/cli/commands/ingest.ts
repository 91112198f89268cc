/** `tsumiki ingest [--data DIR]`: brings the document index up to date and prints a summary. */
import { openKnowledgeBase } from './knowledge-cli';
import type { CliCommand } from '../cli-command';

export const ingestCommand: CliCommand = {
  name: 'ingest',
  usage: 'tsumiki ingest [--data DIR] [--db FILE]',
  summary: 'indexes the documents under DIR (default data/): added, changed and removed files; bad files reported',
  options: { data: { type: 'string' } },
  positionals: [0, 0],
  async run(ctx) {
    const config = ctx.config();
    const core = openKnowledgeBase(config, ctx.logger());
    try {
      const report = await core.knowledge.ingest(config.dataDir);
      for (const p of report.problems) ctx.io.stderr.write(`${config.dataDir}/${p.path}: ${p.reason}\n`);
      const stats = core.knowledge.stats();
      ctx.io.stderr.write(
        `indexed ${config.dataDir}: files ${report.added} added, ${report.changed} changed, ${report.removed} removed, ${report.unchanged} unchanged; ` +
          `${report.problems.length} problem(s); ${stats.documents} documents, ${stats.chunks} chunks, ${stats.vectors} vectors (${report.durationMs} ms)\n`,
      );
      return report.problems.length > 0 ? 1 : 0;
    } finally {
      await core.close();
    }
  },
};
