/**
 * Retrieval with the coaching stance built in: a worry is best answered with something the person
 * can go and do. When the most relevant passages hold no job shadowing and no open posting, the
 * best-matching one of those is added, so the answer can offer an experience, not only a course.
 * A question that names a kind itself ("AWSの研修は?", "any postings?") is left as asked.
 */
import { BaseRetriever } from '@langchain/core/retrievers';
import type { Document } from '@langchain/core/documents';
import { detectKindIntents } from '../knowledge/intent';
import type { KnowledgeBase, SearchOptions } from '../knowledge/types';

const EXPERIENCES = ['shadowing', 'posting'] as const;

export class ExperienceAwareRetriever extends BaseRetriever {
  static override lc_name(): string {
    return 'ExperienceAwareRetriever';
  }

  override lc_namespace = ['tsumiki', 'consultation'];

  constructor(
    private readonly knowledge: Pick<KnowledgeBase, 'asRetriever'>,
    private readonly options: SearchOptions,
  ) {
    super();
  }

  override async _getRelevantDocuments(query: string): Promise<Document[]> {
    const docs = await this.knowledge.asRetriever(this.options).invoke(query);
    const kinds = new Set(docs.map((d) => d.metadata.kind as string));
    if (EXPERIENCES.some((kind) => kinds.has(kind)) || detectKindIntents(query).length > 0) return docs;
    const extra = await this.knowledge.asRetriever({ ...this.options, k: 1, kinds: [...EXPERIENCES] }).invoke(query);
    const ids = new Set(docs.map((d) => d.metadata.id as string));
    return [...docs, ...extra.filter((d) => !ids.has(d.metadata.id as string))];
  }
}
