/** `tsumiki search "QUERY" [--k N] [--json]`: the retriever's ranked documents. */
import { openKnowledgeBase } from './knowledge-cli';
import { UsageError, type CliCommand } from '../cli-command';

/** One line of `search --json`. */
export interface SearchJsonEntry {
  id: string;
  kind: string;
  title: string;
  url: string;
  score: number;
}

export const searchCommand: CliCommand = {
  name: 'search',
  usage: 'tsumiki search "QUERY" [--k N] [--db FILE] [--json]',
  summary: "the retriever's ranked documents; --json prints one array of {id, kind, title, url, score}",
  options: { k: { type: 'string' }, json: { type: 'boolean' }, data: { type: 'string' } },
  positionals: [1, 1],
  async run(ctx) {
    const query = ctx.positionals[0]!.trim();
    if (!query) throw new UsageError('the query is empty');
    const rawK = ctx.values.k;
    const k = rawK === undefined ? 5 : Number(rawK);
    if (!Number.isInteger(k) || k < 1 || k > 100) throw new UsageError('--k must be a whole number from 1 to 100');
    const config = ctx.config();
    const core = openKnowledgeBase(config, ctx.logger());
    try {
      // An empty index (first run, fresh --db) is filled from the data folder first.
      if (core.knowledge.stats().documents === 0) {
        const report = await core.knowledge.ingest(config.dataDir);
        for (const p of report.problems) ctx.io.stderr.write(`${config.dataDir}/${p.path}: ${p.reason}\n`);
      }
      // Two chunks per document may come back; ask for enough to fill k documents.
      const hits = await core.knowledge.search(query, { k: k * 2 });
      const entries: SearchJsonEntry[] = [];
      const seen = new Set<string>();
      for (const hit of hits) {
        if (seen.has(hit.document.id) || entries.length >= k) continue;
        seen.add(hit.document.id);
        const { id, kind, title, url } = hit.document;
        entries.push({ id, kind, title, url, score: Number(hit.score.toFixed(6)) });
      }
      if (ctx.values.json) {
        ctx.io.stdout.write(`${JSON.stringify(entries)}\n`);
        return 0;
      }
      if (entries.length === 0) {
        ctx.io.stdout.write('No matching documents.\n');
        return 0;
      }
      const lines = entries.map((e, i) => {
        const doc = core.knowledge.getDocument(e.id);
        const deadline = doc?.deadline ? ` (deadline ${doc.deadline})` : '';
        return `${i + 1}. [${e.kind}] ${e.title}${deadline}\n   ${e.id}  ${e.url}  score ${e.score.toFixed(4)}`;
      });
      ctx.io.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    } finally {
      await core.close();
    }
  },
};
