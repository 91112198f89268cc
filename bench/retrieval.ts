/**
 * `npm run bench:retrieval`: the knowledge base at 1k, 10k and 100k chunks with synthetic
 * 1536-dimensional vectors. Measures ingest throughput, re-ingesting an unchanged corpus,
 * opening the index, query latency p50/p95 (hybrid, lexical, vector), index size and RSS, and
 * LangChain's MemoryVectorStore on the same vectors and queries, with the top-10 agreement of
 * each vector search against an exact brute-force ranking (MemoryVectorStore's sort comparator
 * never returns a positive number, langchainjs#7756, so its order is not guaranteed).
 *
 * BENCH_SIZES=1000,10000 limits the sizes; results go to stdout and bench/results/retrieval.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Embeddings } from '@langchain/core/embeddings';
import { Document } from '@langchain/core/documents';
import { MemoryVectorStore } from '@langchain/classic/vectorstores/memory';
import pino from 'pino';
import { loadConfig } from '../src/config/config';
import { createKnowledgeBase } from '../src/knowledge';
import { embeddingText } from '../src/knowledge/sqlite-index';
import { openDatabase } from '../src/storage/database';

const DIMENSIONS = 1536;
const CHUNKS_PER_DOCUMENT = 10;
const QUERY_COUNT = 100;
const root = path.resolve(__dirname, '..');

/** Seeded random unit vectors: the same text always gets the same vector, and fast. */
class SyntheticEmbeddings extends Embeddings {
  constructor() {
    super({});
  }
  static vector(text: string): number[] {
    let seed = 2166136261;
    for (let i = 0; i < text.length; i++) seed = Math.imul(seed ^ text.charCodeAt(i), 16777619);
    const v = new Array<number>(DIMENSIONS);
    let norm = 0;
    for (let i = 0; i < DIMENSIONS; i++) {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      const x = (seed >>> 0) / 4294967296 - 0.5;
      v[i] = x;
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < DIMENSIONS; i++) v[i]! /= norm;
    return v;
  }
  override async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => SyntheticEmbeddings.vector(t));
  }
  override async embedQuery(text: string): Promise<number[]> {
    return SyntheticEmbeddings.vector(text);
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Words from the real corpus, so the synthetic text has a realistic Japanese/English mix. */
function vocabulary(): string[] {
  const segmenter = new Intl.Segmenter('ja', { granularity: 'word' });
  const words = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.md')) for (const s of segmenter.segment(fs.readFileSync(p, 'utf8'))) if (s.isWordLike && s.segment.length > 1) words.add(s.segment);
    }
  };
  walk(path.join(root, 'data'));
  return [...words];
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

function writeCorpus(dir: string, chunks: number, words: string[]): void {
  const random = rng(chunks);
  const pick = () => words[Math.floor(random() * words.length)]!;
  const documents = Math.ceil(chunks / CHUNKS_PER_DOCUMENT);
  for (let d = 0; d < documents; d++) {
    const sections: string[] = [];
    for (let s = 0; s < CHUNKS_PER_DOCUMENT; s++) {
      const sentences = Array.from({ length: 8 }, () => `${Array.from({ length: 14 }, pick).join('')}。`);
      sections.push(`## 第${s + 1}節 ${pick()}\n${sentences.join('')}`);
    }
    const id = `syn-${String(d).padStart(6, '0')}`;
    const sub = path.join(dir, String(Math.floor(d / 1000)));
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(
      path.join(sub, `${id}.md`),
      `---\nid: ${id}\nkind: training\ntitle: ${pick()}${pick()} 研修 ${d}\nlang: ja\nurl: https://intra.example.com/training/${id}\nskills: [${pick()}, ${pick()}]\n---\n${sections.join('\n')}\n`,
    );
  }
}

function exactTop(query: number[], vectors: Float32Array, count: number, k: number): number[] {
  const scores = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let dot = 0;
    const base = i * DIMENSIONS;
    for (let j = 0; j < DIMENSIONS; j++) dot += query[j]! * vectors[base + j]!;
    scores[i] = dot;
  }
  return Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]!).slice(0, k);
}

interface Row {
  chunks: number;
  ingestS: number;
  chunksPerS: number;
  reingestMs: number;
  openMs: number;
  sizeMiB: number;
  rssMiB: number;
  hybrid: [number, number];
  lexical: [number, number];
  vector: [number, number];
  vectorAgreement: number;
  memory: { addS: number; p50: number; p95: number; agreement: number; rssMiB: number } | null;
}

async function measure(fn: (query: string) => Promise<unknown>, queries: string[]): Promise<[number, number]> {
  for (const q of queries.slice(0, 5)) await fn(q); // warm-up
  const times: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    await fn(q);
    times.push(performance.now() - t);
  }
  return [percentile(times, 50), percentile(times, 95)];
}

async function benchSize(chunks: number, words: string[], queries: string[]): Promise<Row> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tsumiki-bench-${chunks}-`));
  const dataDir = path.join(dir, 'data');
  const dbFile = path.join(dir, 'bench.db');
  const config = loadConfig({ NODE_ENV: 'test', TSUMIKI_DB: dbFile });
  const logger = pino({ level: 'silent' });
  const embedding = { name: 'synthetic-1536', dimensions: DIMENSIONS, embeddings: new SyntheticEmbeddings() };
  try {
    writeCorpus(dataDir, chunks, words);
    // The real glossary and concept map, so queries are expanded as in production.
    for (const file of ['glossary.tsv', 'concepts.tsv']) fs.copyFileSync(path.join(root, 'data', file), path.join(dataDir, file));
    let db = openDatabase(dbFile);
    let kb = createKnowledgeBase(db, config, logger, { embedding, embeddingBatchSize: 512 });
    let t = performance.now();
    await kb.ingest(dataDir);
    const ingestS = (performance.now() - t) / 1000;
    const stored = kb.stats().chunks;
    t = performance.now();
    const again = await kb.ingest(dataDir);
    const reingestMs = performance.now() - t;
    if (again.added + again.changed !== 0) throw new Error('re-ingest saw changes');
    db.close();

    t = performance.now();
    db = openDatabase(dbFile);
    kb = createKnowledgeBase(db, config, logger, { embedding });
    await kb.search(queries[0]!);
    const openMs = performance.now() - t;

    const hybrid = await measure((q) => kb.searchWith('hybrid', q, { k: 10 }), queries);
    const lexical = await measure((q) => kb.searchWith('lexical', q, { k: 10 }), queries);
    const vector = await measure((q) => kb.searchWith('vector', q, { k: 10 }), queries);

    // Exact top-10 by brute force, to check both vector searches.
    const rows = db.prepare('SELECT c.id, c.heading, c.text, d.title, d.skills FROM kb_chunks c JOIN kb_documents d ON d.id = c.document_id ORDER BY c.id').all() as Array<{ id: number; heading: string | null; text: string; title: string; skills: string }>;
    const texts = rows.map((r) => embeddingText(r.title, JSON.parse(r.skills) as string[], r.heading, r.text));
    const flat = new Float32Array(rows.length * DIMENSIONS);
    texts.forEach((text, i) => flat.set(SyntheticEmbeddings.vector(text), i * DIMENSIONS));
    const sample = queries.slice(0, 20);
    let agree = 0;
    for (const q of sample) {
      const qv = SyntheticEmbeddings.vector(q);
      const exact = new Set(exactTop(qv, flat, rows.length, 10).map((i) => rows[i]!.id));
      const got = kb.index.vector(qv, 10).map((r) => r.chunkId);
      agree += got.filter((id) => exact.has(id)).length / 10;
    }
    const vectorAgreement = agree / sample.length;
    const sizeMiB = ['', '-wal'].reduce((s, ext) => s + (fs.existsSync(dbFile + ext) ? fs.statSync(dbFile + ext).size : 0), 0) / 2 ** 20;
    const rssMiB = process.memoryUsage().rss / 2 ** 20;

    let memory: Row['memory'] = null;
    if (process.env.BENCH_MEMORY_STORE !== 'off') {
      const store = new MemoryVectorStore(embedding.embeddings);
      t = performance.now();
      const vectors: number[][] = texts.map((_, i) => Array.from(flat.subarray(i * DIMENSIONS, (i + 1) * DIMENSIONS)));
      await store.addVectors(vectors, rows.map((r) => new Document({ pageContent: '', metadata: { id: r.id } })));
      const addS = (performance.now() - t) / 1000;
      const [p50, p95] = await measure(async (q) => store.similaritySearchVectorWithScore(SyntheticEmbeddings.vector(q), 10), queries);
      let memAgree = 0;
      for (const q of sample) {
        const qv = SyntheticEmbeddings.vector(q);
        const exact = new Set(exactTop(qv, flat, rows.length, 10).map((i) => rows[i]!.id));
        const got = (await store.similaritySearchVectorWithScore(qv, 10)).map(([d]) => d.metadata.id as number);
        memAgree += got.filter((id) => exact.has(id)).length / 10;
      }
      memory = { addS, p50, p95, agreement: memAgree / sample.length, rssMiB: process.memoryUsage().rss / 2 ** 20 };
    }
    db.close();
    return { chunks: stored, ingestS, chunksPerS: stored / ingestS, reingestMs, openMs, sizeMiB, rssMiB, hybrid, lexical, vector, vectorAgreement, memory };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function table(rows: Row[]): string {
  const f = (n: number, d = 1) => n.toFixed(d);
  const lines = [
    '| chunks | ingest (chunks/s) | re-ingest unchanged | open index | hybrid p50 / p95 | lexical p50 / p95 | vector p50 / p95 | sqlite-vec top-10 = exact | index size | RSS | MemoryVectorStore add | MemoryVectorStore p50 / p95 | MemoryVectorStore top-10 = exact | RSS after MemoryVectorStore |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const m = r.memory;
    lines.push(
      `| ${r.chunks} | ${f(r.chunksPerS, 0)} (${f(r.ingestS)} s) | ${f(r.reingestMs, 0)} ms | ${f(r.openMs, 0)} ms | ${f(r.hybrid[0], 2)} / ${f(r.hybrid[1], 2)} ms | ${f(r.lexical[0], 2)} / ${f(r.lexical[1], 2)} ms | ${f(r.vector[0], 2)} / ${f(r.vector[1], 2)} ms | ${f(r.vectorAgreement * 100, 0)}% | ${f(r.sizeMiB)} MiB | ${f(r.rssMiB, 0)} MiB | ` +
        (m ? `${f(m.addS, 2)} s | ${f(m.p50, 2)} / ${f(m.p95, 2)} ms | ${f(m.agreement * 100, 0)}% | ${f(m.rssMiB, 0)} MiB |` : '– | – | – | – |'),
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const sizes = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
  const words = vocabulary();
  const evalQueries = JSON.parse(fs.readFileSync(path.join(root, 'test/eval/retrieval-queries.json'), 'utf8')) as Array<{ query: string }>;
  const queries = Array.from({ length: QUERY_COUNT }, (_, i) => evalQueries[i % evalQueries.length]!.query);
  const rows: Row[] = [];
  for (const size of sizes) {
    process.stderr.write(`benchmarking ${size} chunks…\n`);
    rows.push(await benchSize(size, words, queries));
    process.stderr.write(`${table(rows.slice(-1))}\n`);
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const report = [
    '# Retrieval benchmark',
    '',
    `\`npm run bench:retrieval\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB.`,
    `Synthetic training documents of ${CHUNKS_PER_DOCUMENT} chunks each, words drawn from data/, seeded random unit vectors of ${DIMENSIONS} dimensions;`,
    `data/glossary.tsv and data/concepts.tsv included; ${QUERY_COUNT} queries from test/eval/retrieval-queries.json, k = 10. Latency is one search() call in process (segmentation, glossary and concept expansion, FTS5 BM25, query embedding, sqlite-vec KNN, fusion, kind boost, per-document cap).`,
    '"top-10 = exact" is the overlap of a vector search\'s top 10 with an exact brute-force top 10 (20 queries).',
    '',
    table(rows),
    '',
    'Targets: hybrid p95 ≤ 15 ms at 10k chunks and ≤ 150 ms at 100k; opening the index ≤ 1 s; re-ingesting an unchanged corpus ≤ 1 s.',
    '',
  ].join('\n');
  process.stdout.write(`${report}\n`);
  fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  fs.writeFileSync(path.join(root, 'bench/results/retrieval.md'), report);
}

main().catch((error) => {
  process.stderr.write(`bench:retrieval: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
