/** Opens only what `ingest` and `search` need: the database and the knowledge base, not the whole bot. */
import type { Logger } from 'pino';
import type { Config } from '../../config/config';
import { createKnowledgeBase, type SqliteKnowledgeBase } from '../../knowledge';
import { openDatabase } from '../../storage/database';

export function openKnowledgeBase(config: Config, logger: Logger): { knowledge: SqliteKnowledgeBase; close(): Promise<void> } {
  const db = openDatabase(config.databasePath);
  return {
    knowledge: createKnowledgeBase(db, config, logger),
    close: async () => {
      db.close();
    },
  };
}
