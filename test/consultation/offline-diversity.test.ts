import { pickDiverse } from '../../src/consultation/offline-answer';
import type { NumberedSource } from '../../src/consultation/context';
import type { DocumentKind } from '../../src/core/types';

function source(n: number, kind: DocumentKind): NumberedSource {
  return {
    n,
    chunks: [],
    document: { id: `d${n}`, kind, title: `doc ${n}`, lang: 'ja', url: `https://intra.example/${n}`, skills: [], path: `${n}.md` },
  };
}

describe('offline answer: which documents to list', () => {
  it('offers different kinds of experience before more of the same, in rank order, renumbered', () => {
    const ranked = [source(1, 'training'), source(2, 'training'), source(3, 'training'), source(4, 'shadowing'), source(5, 'training'), source(6, 'posting')];
    const picked = pickDiverse(ranked, 4);
    expect(picked.map((s) => s.document.id)).toEqual(['d1', 'd2', 'd4', 'd6']);
    expect(picked.map((s) => s.n)).toEqual([1, 2, 3, 4]);
  });

  it('fills with the best remaining when there are fewer kinds than places', () => {
    const ranked = [source(1, 'guide'), source(2, 'guide'), source(3, 'guide')];
    expect(pickDiverse(ranked, 4).map((s) => s.document.id)).toEqual(['d1', 'd2', 'd3']);
  });
});
