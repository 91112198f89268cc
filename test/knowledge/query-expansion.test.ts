/**
 * The parts of query understanding added for paraphrased worries and speed: the worry →
 * experience concept map, kind-intent boosts, English morphology in the glossary, the postings
 * budget of the full-text query, and in-memory filtering that must agree with SQL filtering.
 */
import { ConceptExpander, parseConcepts } from '../../src/knowledge/concepts';
import { GlossaryExpander, parseGlossary } from '../../src/knowledge/glossary';
import { detectKindIntents } from '../../src/knowledge/intent';
import { HybridSearch, DEFAULT_TUNING } from '../../src/knowledge/retriever';
import { makeKb, md, training, type KbFixture } from './helpers';
import pino from 'pino';

const NOW = new Date('2026-11-21T03:00:00Z');

describe('concept map', () => {
  const concepts = new ConceptExpander(
    parseConcepts('cues\texperiences\n# comment\nマンネリ|飽き|stuck|burned out\tジョブシャドウイング|job shadowing\n\nbad row without experiences\n'),
  );

  it('parses rows, skipping the header, comments and rows without experiences', () => {
    expect(concepts.size).toBe(1);
  });

  it('expands a worry, including a conjugated Japanese stem and an English phrase, in one direction only', () => {
    expect(concepts.expand('仕事に飽きてきた')).toEqual(['ジョブシャドウイング', 'job shadowing']);
    expect(concepts.expand('I feel burned out')).toContain('ジョブシャドウイング');
    expect(concepts.expand('ジョブシャドウイングの申込')).toEqual([]);
    expect(concepts.expand('unstuck')).toEqual([]);
  });
});

describe('kind intents and glossary morphology', () => {
  it('names the kinds a query asks for', () => {
    expect(detectKindIntents('営業 研修')).toEqual(['training']);
    expect(detectKindIntents('sales posting')).toEqual(['posting']);
    expect(detectKindIntents('営業 同行')).toEqual(['shadowing']);
    expect(detectKindIntents('社内公募 ルール').sort()).toEqual(['guide', 'posting']);
    expect(detectKindIntents('cooperation')).toEqual([]);
  });

  it('matches -ing/-ion forms of a glossary word, and ignores kind words when asked', () => {
    const glossary = new GlossaryExpander(parseGlossary('ja\ten\n交渉\tnegotiation\n研修|講座\ttraining|course\n'));
    expect(glossary.expand('negotiating with partners')).toContain('交渉');
    expect(glossary.expand('AWSのtraining')).toContain('研修');
    expect(glossary.expand('交渉の研修', (term) => term === '研修')).toEqual(['negotiation']);
  });
});

describe('full-text query and filters over an index', () => {
  let fx: KbFixture;
  beforeEach(async () => {
    fx = makeKb({ embedding: null, clock: () => NOW });
    fx.write('concepts.tsv', 'cues\texperiences\nマンネリ\tジョブシャドウイング\n');
    fx.write('s1.md', md({ id: 'shd-1', kind: 'shadowing', title: '営業本部 商談同行', lang: 'ja', url: 'https://intra.example.com/s1', skills: ['営業'] }, '## 概要\nジョブシャドウイングで商談に同行します。'));
    for (let i = 0; i < 12; i++) fx.write(`t${i}.md`, training(`trn-${i}`, `営業研修 ${i}`, `## 概要\n営業の基本。${i === 3 ? '品質の話もします。' : ''}`));
    fx.write(
      'p-closed.md',
      md({ id: 'pst-closed', kind: 'posting', title: '品質保証 (締切済み)', lang: 'ja', url: 'https://intra.example.com/p', skills: ['品質'], department: '品質保証部', location: '東京', deadline: '2026-10-01', eligibility: '現職2年以上' }, '## 概要\n品質保証の募集。'),
    );
    await fx.kb.ingest(fx.dataDir);
  });
  afterEach(() => fx.close());

  it('turns a worry with no shared words into the experience that answers it', async () => {
    const hits = await fx.kb.search('最近マンネリ気味', { now: NOW });
    expect(hits[0]?.document.id).toBe('shd-1');
  });

  it('drops the most common terms when the query would read too many postings, keeping the rarest', () => {
    const search = new HybridSearch(fx.kb.index, pino({ level: 'silent' }), undefined, 'Asia/Tokyo', () => NOW, { ...DEFAULT_TUNING, maxPostingsShare: 0.2 });
    const { match } = search.lexicalQuery('営業 品質');
    expect(match).toContain('"品質"');
    expect(match).not.toContain('"営業"');
    const generous = new HybridSearch(fx.kb.index, pino({ level: 'silent' }), undefined, 'Asia/Tokyo', () => NOW, { ...DEFAULT_TUNING, maxPostingsShare: 10, maxTermShare: 1 });
    // Typed terms are repeated so they outweigh expansion terms in bm25().
    expect(generous.lexicalQuery('営業 品質').match.split(' OR ').filter((p) => p === '"営業"')).toHaveLength(DEFAULT_TUNING.typedTermWeight);
  });

  it('filters in memory exactly as the SQL join does', () => {
    const index = fx.kb.index;
    const filter = { openOn: '2026-11-21' };
    expect(index.excludedChunks(filter)?.size).toBeGreaterThan(0);
    const inMemory = index.lexical('"品質" OR "営業"', 50, filter).map((r) => r.chunkId);
    const viaSql = index.db
      .prepare(
        `SELECT f.rowid FROM kb_fts f JOIN kb_chunks c ON c.id = f.rowid JOIN kb_documents d ON d.id = c.document_id
          WHERE kb_fts MATCH ? AND (d.deadline IS NULL OR d.deadline >= ?) ORDER BY bm25(kb_fts, 4, 3, 1.5, 1) LIMIT 50`,
      )
      .pluck()
      .all('"品質" OR "営業"', '2026-11-21') as number[];
    expect(inMemory).toEqual(viaSql);
    const closedChunks = [...index.excludedChunks(filter)!];
    expect(inMemory.some((id) => closedChunks.includes(id))).toBe(false);
    expect(index.lexical('"品質"', 50, {}).some((r) => closedChunks.includes(r.chunkId))).toBe(true);
  });
});
