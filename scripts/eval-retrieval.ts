/**
 * `npm run eval:retrieval`: retrieval quality over data/ on two query sets, the labelled set
 * (test/eval/retrieval-queries.json, which tuning may look at) and the held-out set
 * (test/eval/retrieval-queries-heldout.json, written before any tuning and never tuned on),
 * without embeddings (what offline mode has) and with the deterministic hashing embedder
 * (lexical only, vector only, hybrid). Prints markdown tables; `--misses` lists failed queries;
 * `--only-plain` skips the fake-embedder runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config/config';
import { createKnowledgeBase } from '../src/knowledge';
import { HashingEmbeddings } from '../src/knowledge/embeddings';
import { evaluateRetrieval, formatEvalTable, type EvalQuery, type EvalResult } from '../src/knowledge/evaluation';
import { DEFAULT_TUNING } from '../src/knowledge/retriever';
import { openDatabase } from '../src/storage/database';

/** The labels record which postings were closed on this date; evaluating "as of" it keeps them true. */
export const EVAL_TODAY = new Date('2026-11-21T03:00:00Z');

export interface EvalRun {
  name: string;
  result: EvalResult;
}

/** Indexes `dataDir` into a temporary database and runs the query set in every configuration. */
export async function runRetrievalEvaluation(dataDir: string, queriesFile: string, options: { plainOnly?: boolean } = {}): Promise<EvalRun[]> {
  const queries = JSON.parse(fs.readFileSync(queriesFile, 'utf8')) as EvalQuery[];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsumiki-eval-'));
  const config = loadConfig({ NODE_ENV: 'test', TSUMIKI_DB: path.join(dir, 'eval.db') });
  const logger = pino({ level: 'silent' });
  const runs: EvalRun[] = [];
  // TSUMIKI_EVAL_TUNING='{"vectorWeight":0.5}' tries other fusion settings without editing code.
  const tuning = process.env.TSUMIKI_EVAL_TUNING ? { ...DEFAULT_TUNING, ...(JSON.parse(process.env.TSUMIKI_EVAL_TUNING) as object) } : undefined;
  try {
    const plainDb = openDatabase(path.join(dir, 'plain.db'));
    const plain = createKnowledgeBase(plainDb, config, logger, { embedding: null, clock: () => EVAL_TODAY, tuning });
    await plain.ingest(dataDir);
    runs.push({ name: 'no embeddings (hybrid = lexical + glossary)', result: await evaluateRetrieval(queries, plain.search, { now: EVAL_TODAY }) });
    plainDb.close();
    if (options.plainOnly) return runs;

    const fakeDb = openDatabase(path.join(dir, 'fake.db'));
    const fake = createKnowledgeBase(fakeDb, config, logger, {
      embedding: { name: 'hashing-bow-1536', dimensions: 1536, embeddings: new HashingEmbeddings(1536) },
      clock: () => EVAL_TODAY,
      tuning,
    });
    await fake.ingest(dataDir);
    for (const mode of ['lexical', 'vector', 'hybrid'] as const) {
      runs.push({
        name: `fake embedder: ${mode}`,
        result: await evaluateRetrieval(queries, (q, o) => fake.searchWith(mode, q, o), { now: EVAL_TODAY }),
      });
    }
    fakeDb.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return runs;
}

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const plainOnly = process.argv.includes('--only-plain');
  const sets = [
    { label: 'labelled set', file: 'test/eval/retrieval-queries.json' },
    { label: 'held-out set', file: 'test/eval/retrieval-queries-heldout.json' },
  ];
  for (const set of sets) {
    const runs = await runRetrievalEvaluation(path.join(root, 'data'), path.join(root, set.file), { plainOnly });
    process.stdout.write(`## ${set.label} (${set.file})\n\n`);
    printRuns(runs);
  }
}

function printRuns(runs: EvalRun[]): void {
  for (const run of runs) {
    process.stdout.write(`${formatEvalTable(run.name, run.result)}\n\n`);
    if (process.argv.includes('--misses')) {
      for (const m of run.result.misses) process.stdout.write(`  miss ${m.id} [${m.type}] ${m.query} → want ${m.relevant.join(',')} got ${m.got.join(',')}\n`);
      process.stdout.write('\n');
    }
  }
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`eval-retrieval: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  });
}
