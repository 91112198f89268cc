import { checkAnswer, citedNumbers, stablePrefix, StreamingLinkFilter } from '../../src/consultation/citations';
import { approximateTokens, formatContext, type NumberedSource } from '../../src/consultation/context';
import type { KnowledgeDocument, SearchHit } from '../../src/knowledge/types';

function doc(id: string, extra: Partial<KnowledgeDocument> = {}): KnowledgeDocument {
  return { id, kind: 'training', title: `Title ${id}`, lang: 'en', url: `https://intra.example/${id}`, skills: [], path: `${id}.md`, ...extra };
}
function hit(id: string, text: string, score = 1): SearchHit {
  return { document: doc(id), chunkId: `${id}#0`, text, score };
}
const sources: NumberedSource[] = [
  { n: 1, document: doc('trn-001'), chunks: ['a'] },
  { n: 2, document: doc('pst-002', { kind: 'posting', deadline: '2027-01-31' }), chunks: ['b'] },
  { n: 3, document: doc('gde-003', { kind: 'guide' }), chunks: ['c'] },
];

describe('citations', () => {
  test('sources are exactly the cited documents, under the numbers shown', () => {
    const checked = checkAnswer('Try the training [1] and the posting [2]. [1]', sources);
    expect(checked.sources.map((s) => [s.n, s.id])).toEqual([
      [1, 'trn-001'],
      [2, 'pst-002'],
    ]);
    expect(checked.sources[1]).toMatchObject({ title: 'Title pst-002', url: 'https://intra.example/pst-002', kind: 'posting', deadline: '2027-01-31' });
  });

  test('numbers that point to no document are removed from the text', () => {
    const checked = checkAnswer('See [7] and [2, 9] here.', sources);
    expect(checked.text).toBe('See and [2] here.');
    expect(checked.sources.map((s) => s.n)).toEqual([2]);
  });

  test('foreign links are removed, markdown and bare; retrieved documents’ links stay', () => {
    const raw = 'Read [this](https://evil.example/phish) or https://evil.example/x, and [the guide](https://intra.example/gde-003) [3].';
    const checked = checkAnswer(raw, sources);
    expect(checked.text).not.toContain('evil.example');
    expect(checked.text).toContain('Read this or');
    expect(checked.text).toContain('[the guide](https://intra.example/gde-003)');
    expect(checked.removedLinks).toEqual(expect.arrayContaining(['https://evil.example/phish', 'https://evil.example/x']));
  });

  test('an answer quoting the system prompt is withheld', () => {
    const secret = 'You are Tsumiki, the in-house career consultation assistant of Hoshizora Systems. Never promise an outcome.';
    expect(checkAnswer(`Sure: ${secret}`, sources, [secret]).withheld).toBe(true);
    expect(checkAnswer('A normal answer [1].', sources, [secret]).withheld).toBe(false);
  });

  test('cited numbers are read in order, full-width brackets included, link labels not', () => {
    expect(citedNumbers('a [2] b ［1］ c [3, 1] [label](https://x) [4](https://y)')).toEqual([2, 1, 3]);
  });
});

describe('streaming link filter', () => {
  test('a foreign URL never reaches the person, even split across tokens', async () => {
    const shown: string[] = [];
    const filter = new StreamingLinkFilter(sources, (c) => {
      shown.push(c);
    });
    const tokens = ['Start ', 'here: ', 'htt', 'ps://ev', 'il.exa', 'mple/x ', 'and ', '[lab', 'el](https://ev', 'il.example) ', 'then [1] ', 'done. '];
    for (const t of tokens) await filter.push(t);
    const joined = shown.join('');
    expect(joined).not.toMatch(/evil|htt|ps:\/\//);
    expect(joined).toContain('Start here:');
    expect(joined).toContain('label');
    expect(joined).toContain('then [1] done.');
    expect(filter.text).toBe(tokens.join(''));
  });

  test('stable prefix holds back an unfinished link', () => {
    expect(stablePrefix('see [the guide](https://intra')).toBe('see ');
    expect(stablePrefix('go to https://intra.example/a')).toBe('go to ');
    expect(stablePrefix('日本語の文です。続き')).toBe('日本語の文です。');
  });
});

describe('context', () => {
  test('documents are numbered in rank order; chunks of one document share its number', () => {
    const ctx = formatContext([hit('a', 'first'), hit('b', 'second'), hit('a', 'third')], 10_000);
    expect(ctx.sources.map((s) => [s.n, s.document.id, s.chunks.length])).toEqual([
      [1, 'a', 2],
      [2, 'b', 1],
    ]);
    expect(ctx.text).toContain('[1] Title a');
    expect(ctx.text).toContain('URL: https://intra.example/a');
    expect(ctx.text).toContain('third');
  });

  test('the lowest-ranked chunks are dropped first to fit the token budget', () => {
    const long = 'word '.repeat(200); // about 250 tokens
    const hits = [hit('best', long), hit('second', long), hit('worst', long)];
    const ctx = formatContext(hits, 600);
    expect(ctx.tokens).toBeLessThanOrEqual(600);
    expect(ctx.sources.map((s) => s.document.id)).toEqual(['best', 'second']);
    expect(ctx.dropped).toBe(1);
  });

  test('one chunk longer than the budget is shortened, not lost', () => {
    const ctx = formatContext([hit('only', 'あ'.repeat(3000))], 500);
    expect(ctx.sources).toHaveLength(1);
    expect(ctx.tokens).toBeLessThanOrEqual(500);
  });

  test('approximate tokens count CJK characters one by one', () => {
    expect(approximateTokens('あいうえお')).toBe(5);
    expect(approximateTokens('abcdefgh')).toBe(2);
  });
});
