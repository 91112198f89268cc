/** Creates the knowledge base over the shared database. (Placeholder until the retrieval pipeline lands.) */
import { BaseRetriever } from '@langchain/core/retrievers';
import type { Document } from '@langchain/core/documents';
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { Db } from '../storage/database';
import type { KnowledgeBase } from './types';

class EmptyRetriever extends BaseRetriever {
  override lc_namespace = ['tsumiki', 'knowledge'];
  override async _getRelevantDocuments(): Promise<Document[]> {
    return [];
  }
}

export function createKnowledgeBase(_db: Db, _config: Config, _logger: Logger): KnowledgeBase {
  return {
    search: async () => [],
    asRetriever: () => new EmptyRetriever(),
    getDocument: () => undefined,
    ingest: async () => ({ added: 0, changed: 0, removed: 0, unchanged: 0, chunks: 0, problems: [], durationMs: 0 }),
    isUsable: () => true,
    stats: () => ({ documents: 0, chunks: 0, vectors: 0 }),
  };
}
