import { Embeddings } from '@langchain/core/embeddings';
import { HashingEmbeddings } from '../../src/knowledge/embeddings';
import { reciprocalRankFusion } from '../../src/knowledge/retriever';
import { makeKb, md, training, type KbFixture } from './helpers';

const NOW = new Date('2026-11-21T03:00:00Z');

/** Counts what it embeds, so tests can see that unchanged chunks are not embedded again. */
class CountingEmbeddings extends HashingEmbeddings {
  embedded: string[] = [];
  override async embedDocuments(texts: string[]): Promise<number[][]> {
    this.embedded.push(...texts);
    return super.embedDocuments(texts);
  }
}

const posting = (id: string, title: string, deadline: string, lang: 'ja' | 'en' = 'ja') =>
  md({ id, kind: 'posting', title, lang, url: `https://intra.example.com/postings/${id}`, skills: ['営業'], department: '営業本部', location: '東京', deadline, eligibility: '現職2年以上' }, `## 概要\n${title}の募集です。法人営業の経験を活かせます。`);

describe('reciprocal rank fusion', () => {
  it('rewards items that both lists rank well and respects weights', () => {
    const fused = reciprocalRankFusion([
      { weight: 1, items: [{ chunkId: 1, score: 9 }, { chunkId: 2, score: 8 }] },
      { weight: 1, items: [{ chunkId: 2, score: 0.9 }, { chunkId: 3, score: 0.8 }] },
    ]);
    expect(fused.map((f) => f.chunkId)).toEqual([2, 1, 3]);
    const weighted = reciprocalRankFusion([
      { weight: 0.1, items: [{ chunkId: 1, score: 1 }] },
      { weight: 1, items: [{ chunkId: 3, score: 1 }] },
    ]);
    expect(weighted[0]!.chunkId).toBe(3);
  });
});

describe('hybrid retrieval', () => {
  let fx: KbFixture;
  let embeddings: CountingEmbeddings;
  beforeEach(async () => {
    embeddings = new CountingEmbeddings(512);
    fx = makeKb({ embedding: { name: 'counting', embeddings }, clock: () => NOW });
    fx.write('glossary.tsv', 'ja\ten\n簿記|仕訳\tbookkeeping\n');
    fx.write('p-open.md', posting('pst-open', '法人営業 (東日本)', '2027-01-31'));
    fx.write('p-closed.md', posting('pst-closed', '法人営業 (西日本)', '2026-10-31'));
    fx.write('p-en.md', posting('pst-en', 'Enterprise sales (Singapore)', '2027-01-31', 'en'));
    fx.write('t-book.md', training('trn-book', '会計基礎', '## 概要\n簿記3級レベルの仕訳を学びます。\n## 対象\n経理以外の社員。'));
    const long = Array.from({ length: 8 }, (_, i) => `## 第${i + 1}回\n${'営業の基本を学ぶ回です。'.repeat(30)}`).join('\n');
    fx.write('t-long.md', training('trn-long', '営業基礎 全8回', long));
    await fx.kb.ingest(fx.dataDir);
  });
  afterEach(() => fx.close());

  it('stores a vector for every chunk and finds nearest chunks by KNN', async () => {
    const stats = fx.kb.stats();
    expect(stats.vectors).toBe(stats.chunks);
    const hits = await fx.kb.searchWith('vector', '簿記 仕訳 学びます', { k: 3 });
    expect(hits[0]?.document.id).toBe('trn-book');
  });

  it('embeds only chunks that changed', async () => {
    embeddings.embedded = [];
    await fx.kb.ingest(fx.dataDir);
    expect(embeddings.embedded).toEqual([]);
    fx.write('t-book.md', training('trn-book', '会計基礎', '## 概要\n簿記3級レベルの仕訳を学びます。\n## 対象\n営業職の社員。'));
    await fx.kb.ingest(fx.dataDir);
    expect(embeddings.embedded).toHaveLength(1);
    expect(embeddings.embedded[0]).toContain('営業職の社員');
  });

  it('leaves closed postings out unless asked, and filters by kind and language', async () => {
    const open = (await fx.kb.search('法人営業 公募', { k: 10 })).map((h) => h.document.id);
    expect(open).toContain('pst-open');
    expect(open).not.toContain('pst-closed');
    const all = (await fx.kb.search('法人営業 公募', { k: 10, includeClosed: true })).map((h) => h.document.id);
    expect(all).toContain('pst-closed');
    const trainings = await fx.kb.search('営業', { k: 10, kinds: ['training'] });
    expect(trainings.length).toBeGreaterThan(0);
    expect(trainings.every((h) => h.document.kind === 'training')).toBe(true);
    const english = await fx.kb.search('sales 営業', { k: 10, lang: 'en' });
    expect(english.map((h) => h.document.id)).toEqual(['pst-en']);
  });

  it('returns at most two chunks of one document', async () => {
    const hits = await fx.kb.search('営業の基本', { k: 10 });
    expect(hits.filter((h) => h.document.id === 'trn-long')).toHaveLength(2);
  });

  it('answers an English question from a Japanese document through the glossary', async () => {
    const hits = await fx.kb.searchWith('lexical', 'bookkeeping', { k: 3 });
    expect(hits[0]?.document.id).toBe('trn-book');
  });

  it('works as a LangChain retriever with document metadata', async () => {
    const docs = await fx.kb.asRetriever({ k: 2 }).invoke('簿記');
    expect(docs[0]).toMatchObject({ id: 'trn-book', metadata: { id: 'trn-book', kind: 'training', url: 'https://intra.example.com/training/trn-book' } });
    expect(docs[0]!.pageContent).toContain('簿記');
  });

  it('falls back to full-text search when the query cannot be embedded', async () => {
    embeddings.embedQuery = async () => {
      throw new Error('model server down');
    };
    const hits = await fx.kb.search('簿記');
    expect(hits[0]?.document.id).toBe('trn-book');
  });
});

describe('embedding failures during ingestion', () => {
  class Failing extends Embeddings {
    constructor() {
      super({});
    }
    override async embedDocuments(): Promise<number[][]> {
      throw new Error('429 rate limited');
    }
    override async embedQuery(): Promise<number[]> {
      throw new Error('429 rate limited');
    }
  }

  it('indexes the text anyway, reports the failure, and embeds on a later run', async () => {
    const fx = makeKb({ embedding: { name: 'flaky', embeddings: new Failing() } });
    try {
      fx.write('t.md', training('trn-1', '簿記', '## 概要\n仕訳を学びます。'));
      const report = await fx.kb.ingest(fx.dataDir);
      expect(report.problems).toEqual([{ path: '(embeddings)', reason: expect.stringContaining('429 rate limited') }]);
      expect((await fx.kb.search('簿記'))[0]?.document.id).toBe('trn-1');
      expect(fx.kb.stats().vectors).toBe(0);
    } finally {
      fx.close();
    }
  });
});
