/**
 * Retention: consultation logs (messages, the answers kept for feedback, emptied conversations)
 * are deleted after `config.retentionDays` (default 90). Journals, settings and consent records
 * stay until the person deletes them (`forget`). Runs at start and then daily.
 */
import type { CoreServices } from '../core/core-services';
import type { Db } from '../storage/database';

export interface RetentionReport {
  cutoff: string;
  conversationMessages: number;
  conversations: number;
  answers: number;
  expiredConfirmations: number;
  outbox: number;
  processedEvents: number;
}

/** Platform event ids are kept only long enough to drop retries (Slack retries within minutes). */
const PROCESSED_EVENT_DAYS = 7;
const DAY_MS = 86_400_000;

/** Deletes what is older than the retention period; returns how many rows of each kind went. */
export function purgeExpired(db: Db, now: Date, retentionDays: number): RetentionReport {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS).toISOString();
  const eventCutoff = new Date(now.getTime() - PROCESSED_EVENT_DAYS * DAY_MS).toISOString();
  return db.transaction((): RetentionReport => {
    const conversationMessages = db.prepare('DELETE FROM conversation_messages WHERE created_at < ?').run(cutoff).changes;
    const conversations = db
      .prepare(
        `DELETE FROM conversations WHERE updated_at < ?
           AND NOT EXISTS (SELECT 1 FROM conversation_messages m WHERE m.conversation_id = conversations.id)`,
      )
      .run(cutoff).changes;
    // Feedback on an answer goes with it (ON DELETE CASCADE).
    const answers = db.prepare('DELETE FROM answers WHERE created_at < ?').run(cutoff).changes;
    const expiredConfirmations = db.prepare('DELETE FROM pending_confirmations WHERE expires_at < ?').run(now.toISOString()).changes;
    // Delivered or abandoned proactive messages; pending ones are never touched.
    const outbox = db
      .prepare("DELETE FROM outbox WHERE status IN ('sent','failed','cancelled') AND created_at < ?")
      .run(cutoff).changes;
    const processedEvents = db.prepare('DELETE FROM processed_events WHERE seen_at < ?').run(eventCutoff).changes;
    return { cutoff, conversationMessages, conversations, answers, expiredConfirmations, outbox, processedEvents };
  })();
}

/**
 * Runs `purgeExpired` now and every `intervalMs` (default a day) on an unref'd timer that
 * stops at shutdown. Failures are logged and retried at the next run.
 */
export function startRetention(core: Pick<CoreServices, 'db' | 'config' | 'logger' | 'clock' | 'onClose'>, intervalMs = DAY_MS): () => void {
  const run = () => {
    try {
      const report = purgeExpired(core.db, core.clock(), core.config.retentionDays);
      core.logger.info({ ...report, retentionDays: core.config.retentionDays }, 'retention: expired conversation logs deleted');
    } catch (error) {
      core.logger.error({ err: error }, 'retention run failed; it will be retried');
    }
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  const stop = () => clearInterval(timer);
  core.onClose(stop);
  return stop;
}
