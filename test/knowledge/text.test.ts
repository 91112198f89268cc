import { chunkMarkdown, splitSentences } from '../../src/knowledge/chunking';
import { GlossaryExpander, parseGlossary } from '../../src/knowledge/glossary';
import { normalizeText, tokenize } from '../../src/knowledge/text';
import { makeKb, training } from './helpers';

describe('normalisation and segmentation', () => {
  it('folds full-width Latin and half-width katakana (NFKC) and lower-cases', () => {
    expect(normalizeText('ＡＷＳ　ｸﾗｳﾄﾞ')).toBe('aws クラウド');
  });

  it('turns kanji and katakana runs into bigrams so two-character words are tokens', () => {
    const tokens = tokenize('品質管理部門の財務研修');
    expect(tokens).toEqual(expect.arrayContaining(['品質', '管理', '財務', '研修']));
    expect(tokens).not.toContain('品質管理部門');
  });

  it('drops particles and English function words', () => {
    expect(tokenize('営業の研修はありますか')).toEqual(['営業', '研修']);
    expect(tokenize('What is the AWS course?')).toEqual(['aws', 'course']);
  });
});

describe('chunking', () => {
  it('keeps sentence punctuation with its sentence (。！？ and English)', () => {
    expect(splitSentences('一つ目です。二つ目！三つ目？ Done. Next')).toEqual(['一つ目です。', '二つ目！', '三つ目？', 'Done.', 'Next']);
  });

  it('starts chunks at headings and never cuts a sentence that fits', () => {
    const long = 'これは長い文です。'.repeat(40);
    const chunks = chunkMarkdown(`## 概要\n短い導入。\n## 内容\n${long}`, { targetChars: 120, maxChars: 200 });
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks[0]!.heading).toBe('概要');
    for (const chunk of chunks.slice(1)) {
      expect(chunk.heading).toBe('内容');
      expect(chunk.text.startsWith('## 内容')).toBe(true);
      expect(chunk.text.replace('## 内容\n', '')).toMatch(/^(これは長い文です。)+$/);
    }
  });
});

describe('glossary expansion', () => {
  const glossary = new GlossaryExpander(parseGlossary('ja\ten\n簿記|仕訳\tbookkeeping|journal entry\n研修|講座\ttraining|course\n'));

  it('adds the other language and the synonyms of any matching row', () => {
    expect(glossary.expand('bookkeeping courses')).toEqual(expect.arrayContaining(['簿記', '仕訳', '研修', '講座', 'training']));
    expect(glossary.expand('簿記の研修')).toEqual(expect.arrayContaining(['bookkeeping', 'journal entry', 'course']));
  });

  it('matches Latin terms as whole words only', () => {
    expect(glossary.expand('discourse')).toEqual([]);
  });
});

describe('full-text search for Japanese', () => {
  const fx = makeKb();
  beforeAll(async () => {
    fx.write('trainings/a.md', training('trn-a', '品質管理の基礎', '## 概要\n製造現場の品質管理を学びます。'));
    fx.write('trainings/b.md', training('trn-b', '財務諸表の読み方', '## 概要\n決算書から会社の財務を読み解きます。'));
    fx.write('trainings/c.md', training('trn-c', '法人営業入門', '## 概要\n法人営業の基本を学ぶ講座です。'));
    fx.write('trainings/d.md', training('trn-d', 'クラウド基礎 (AWS)', '## 概要\nAWS の主要サービスを学びます。'));
    await fx.kb.ingest(fx.dataDir);
  });
  afterAll(() => fx.close());

  it.each([
    ['品質', 'trn-a'],
    ['財務', 'trn-b'],
    ['営業', 'trn-c'],
    ['ＡＷＳ', 'trn-d'],
    ['aws', 'trn-d'],
  ])('finds %s', async (query, id) => {
    const hits = await fx.kb.search(query);
    expect(hits[0]?.document.id).toBe(id);
  });

  it('returns nothing for a query with no searchable words', async () => {
    expect(await fx.kb.search('の は が')).toEqual([]);
  });
});
