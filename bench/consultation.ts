/**
 * `npm run bench:consultation`: Tsumiki's own overhead before the first token of an answer
 * reaches the channel, at 10k chunks. The model is the fake OpenAI server over real HTTP with a
 * fixed time to first token (TTFT), which is subtracted; what remains is retrieval (query
 * embedding over HTTP, FTS5 + sqlite-vec, fusion), prompt building, the request and the first
 * streamed token passing the link filter to `onToken`. New threads only: the rewrite of
 * follow-ups (a model call of its own) is excluded, as the target says.
 *
 * The corpus is synthetic Markdown built from the sentences of data/, indexed by the real ingest
 * with 1536-dimensional embeddings from the fake server. The fake runs in this process, so its
 * own work counts against Tsumiki: the figures are an upper bound.
 * BENCH_CHUNKS (default 10000) and BENCH_QUESTIONS (default 100) change the size.
 * Results go to stdout and bench/results/consultation.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { buildCore } from '../src/app';
import { loadConfig } from '../src/config/config';
import { startFakeOpenAI } from '../test/fakes/fake-openai';

const root = path.resolve(__dirname, '..');
const TTFT_MS = 150;
const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 10_000);
const QUESTIONS = Number(process.env.BENCH_QUESTIONS ?? 100);
const SECTIONS_PER_DOCUMENT = 10;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function corpusSentences(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.md')) {
        const body = fs.readFileSync(full, 'utf8').split(/^---$/m).slice(2).join('---');
        out.push(...body.split('\n').filter((l) => l.trim().length > 20 && !l.startsWith('#')));
      }
    }
  };
  walk(path.join(root, 'data'));
  return out;
}

function writeCorpus(dir: string, documents: number): void {
  const sentences = corpusSentences();
  let seed = 42;
  const pick = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return sentences[seed % sentences.length]!;
  };
  const kinds = ['training', 'posting', 'shadowing', 'guide'] as const;
  for (let i = 0; i < documents; i++) {
    const kind = kinds[i % kinds.length]!;
    const id = `syn-${String(i).padStart(5, '0')}`;
    const extra = kind === 'posting' ? 'deadline: 2099-12-31\ndepartment: 合成事業部\n' : kind === 'training' ? 'format: online\nhours: 6\n' : '';
    const sections = Array.from({ length: SECTIONS_PER_DOCUMENT }, (_, j) => `## 節 ${j + 1}\n${Array.from({ length: 6 }, pick).join('\n')}`).join('\n\n');
    fs.writeFileSync(
      path.join(dir, `${id}.md`),
      `---\nid: ${id}\nkind: ${kind}\ntitle: 合成資料 ${i}\nlang: ja\nurl: https://intra.example/${id}\nskills: [AWS, データ分析, プロダクトマネジメント]\n${extra}---\n${sections}\n`,
    );
  }
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tsumiki-bench-consultation-'));
  const dataDir = path.join(work, 'data');
  fs.mkdirSync(dataDir);
  // The chunker merges a few short sections: about 9.7 chunks per document of 10.
  writeCorpus(dataDir, Math.ceil((CHUNKS * 1.03) / SECTIONS_PER_DOCUMENT));
  const reply = 'ご相談ありがとうございます。まずは研修 [1] を試してみてはいかがでしょうか。今の仕事のどの部分を伸ばしたいですか?';
  const fake = await startFakeOpenAI({ reply, embeddingDimensions: 1536 });
  const config = loadConfig({
    NODE_ENV: 'test',
    TSUMIKI_DB: path.join(work, 'tsumiki.db'),
    TSUMIKI_PLAYGROUND: 'off',
    TSUMIKI_SCHEDULER: 'off',
    OPENAI_BASE_URL: fake.url,
    OPENAI_API_KEY: 'sk-fake-bench',
    OPENAI_MODEL: 'gpt-4o-mini',
    OPENAI_EMBEDDING_MODEL: 'text-embedding-3-small',
  });
  const core = buildCore(config, pino({ level: 'silent' }));
  try {
    const ingestStarted = performance.now();
    const report = await core.knowledge.ingest(dataDir);
    const ingestSeconds = (performance.now() - ingestStarted) / 1000;
    const stats = core.knowledge.stats();
    process.stderr.write(`indexed ${stats.documents} documents, ${stats.chunks} chunks, ${stats.vectors} vectors in ${ingestSeconds.toFixed(1)} s (${report.problems.length} problems)\n`);

    const queries = (JSON.parse(fs.readFileSync(path.join(root, 'test/eval/retrieval-queries.json'), 'utf8')) as Array<{ query: string }>).map((q) => q.query);
    fake.setBehaviour({ firstTokenDelayMs: TTFT_MS });
    const overhead: number[] = [];
    const retrieval: number[] = [];
    const total: number[] = [];
    for (let i = 0; i < QUESTIONS + 5; i++) {
      const question = `${queries[i % queries.length]} について相談したいです`;
      const actor = core.actors.forEmployee(`bench-${i}`);
      const r0 = performance.now();
      await core.knowledge.search(question, { k: 6 });
      const r1 = performance.now();
      let first: number | undefined;
      const t0 = performance.now();
      const replies = await core.router.handle(
        { actor, surface: 'dm', threadKey: `bench:${i}`, text: question },
        {
          onToken: () => {
            first ??= performance.now();
          },
        },
      );
      const t1 = performance.now();
      const answer = replies.find((r) => r.kind === 'answer');
      if (!answer?.generated || first === undefined) throw new Error(`question ${i} was not answered by the model: ${JSON.stringify(replies).slice(0, 300)}`);
      if (i < 5) continue; // warm-up
      overhead.push(first - t0 - TTFT_MS);
      retrieval.push(r1 - r0);
      total.push(t1 - t0);
    }
    const row = {
      chunks: stats.chunks,
      p50: percentile(overhead, 50),
      p95: percentile(overhead, 95),
      max: Math.max(...overhead),
      retrievalP50: percentile(retrieval, 50),
      retrievalP95: percentile(retrieval, 95),
      totalP50: percentile(total, 50),
    };
    const cpu = os.cpus();
    const lines = [
      '# Consultation benchmark',
      '',
      `\`npm run bench:consultation\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB.`,
      `${stats.documents} synthetic documents (sentences of data/, ${SECTIONS_PER_DOCUMENT} sections each) through the real ingest: ${stats.chunks} chunks, ${stats.vectors} vectors of 1536 dimensions from the fake OpenAI server (ingest ${ingestSeconds.toFixed(1)} s).`,
      `${overhead.length} questions (queries of test/eval/retrieval-queries.json), each in a new DM thread (no rewrite), after 5 warm-up questions.`,
      `The fake model waits a fixed ${TTFT_MS} ms before its first token; it is subtracted. Overhead = time from \`router.handle\` to the first \`onToken\` − ${TTFT_MS} ms:`,
      'retrieval (query embedding over HTTP, FTS5, sqlite-vec, fusion), prompt building, the HTTP request, SSE parsing and the link filter. The fake runs in the same process, so its work counts too.',
      '',
      '| chunks | overhead p50 | overhead p95 | overhead max | retrieval alone p50 / p95 | whole turn p50 (incl. TTFT and all tokens) |',
      '| ---: | ---: | ---: | ---: | ---: | ---: |',
      `| ${row.chunks} | ${row.p50.toFixed(1)} ms | ${row.p95.toFixed(1)} ms | ${row.max.toFixed(1)} ms | ${row.retrievalP50.toFixed(1)} / ${row.retrievalP95.toFixed(1)} ms | ${row.totalP50.toFixed(1)} ms |`,
      '',
      `Target: overhead p95 ≤ 100 ms at 10k chunks — ${row.p95 <= 100 ? 'met' : 'NOT met'}.`,
      '',
    ];
    const text = lines.join('\n');
    process.stdout.write(`${text}\n`);
    fs.mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
    fs.writeFileSync(path.join(root, 'bench', 'results', 'consultation.md'), text);
  } finally {
    await core.close();
    await fake.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`bench:consultation failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
