import { Document } from '@langchain/core/documents';
import { FakeRetriever } from '@langchain/core/utils/testing';
import { ExperienceAwareRetriever } from '../../src/consultation/experience-retriever';
import type { KnowledgeBase, SearchOptions } from '../../src/knowledge/types';

const doc = (id: string, kind: string) => new Document({ pageContent: id, metadata: { id, kind } });

/** A knowledge base whose retriever answers by the kinds asked for, and records the requests. */
function fakeKnowledge(byKinds: Record<string, Document[]>) {
  const requests: SearchOptions[] = [];
  const knowledge: Pick<KnowledgeBase, 'asRetriever'> = {
    asRetriever: (options: SearchOptions = {}) => {
      requests.push(options);
      return new FakeRetriever({ output: byKinds[(options.kinds ?? []).join(',')] ?? [] }) as never;
    },
  };
  return { knowledge, requests };
}

describe('experience-aware retrieval', () => {
  it('adds the best job shadowing or open posting when a worry finds only courses and guides', async () => {
    const { knowledge, requests } = fakeKnowledge({ '': [doc('trn-1', 'training'), doc('gde-1', 'guide')], 'shadowing,posting': [doc('shd-1', 'shadowing')] });
    const docs = await new ExperienceAwareRetriever(knowledge, { k: 6 }).invoke('最近仕事がマンネリです');
    expect(docs.map((d) => d.metadata.id)).toEqual(['trn-1', 'gde-1', 'shd-1']);
    expect(requests[1]).toMatchObject({ k: 1, kinds: ['shadowing', 'posting'] });
  });

  it('leaves the results alone when they already hold an experience, or when the question names a kind', async () => {
    const withPosting = fakeKnowledge({ '': [doc('pst-1', 'posting')], 'shadowing,posting': [doc('shd-1', 'shadowing')] });
    expect((await new ExperienceAwareRetriever(withPosting.knowledge, {}).invoke('データ分析の仕事がしたい')).map((d) => d.metadata.id)).toEqual(['pst-1']);
    const askedForCourses = fakeKnowledge({ '': [doc('trn-1', 'training')], 'shadowing,posting': [doc('shd-1', 'shadowing')] });
    expect((await new ExperienceAwareRetriever(askedForCourses.knowledge, {}).invoke('AWSの研修はありますか')).map((d) => d.metadata.id)).toEqual(['trn-1']);
    expect(askedForCourses.requests).toHaveLength(1);
  });
});
