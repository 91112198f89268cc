/**
 * Storage of the consultation: the bounded memory of each DM thread, the answers (so feedback
 * can refer to them), feedback, and the notices shown once per person.
 */
import type { ChannelKind, Citation } from '../core/types';
import type { Db } from '../storage/database';

export interface MemoryMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface MemoryLimits {
  /** Most recent messages kept (a question and its answer are two). */
  maxMessages: number;
  /** Older messages are forgotten for the conversation (retention deletes them later). */
  maxAgeMs: number;
}

export const DEFAULT_MEMORY_LIMITS: MemoryLimits = { maxMessages: 6, maxAgeMs: 24 * 60 * 60 * 1000 };

export class ConsultationRepository {
  constructor(private readonly db: Db) {}

  private conversationId(personId: number, channel: ChannelKind, threadKey: string, now: Date): number {
    const row = this.db
      .prepare(
        `INSERT INTO conversations (person_id, channel, thread_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (person_id, channel, thread_key) DO UPDATE SET updated_at = excluded.updated_at
         RETURNING id`,
      )
      .get(personId, channel, threadKey, now.toISOString(), now.toISOString()) as { id: number };
    return row.id;
  }

  /** The recent messages of a thread, oldest first, within the limits. */
  history(personId: number, channel: ChannelKind, threadKey: string, now: Date, limits: MemoryLimits = DEFAULT_MEMORY_LIMITS): MemoryMessage[] {
    const since = new Date(now.getTime() - limits.maxAgeMs).toISOString();
    const rows = this.db
      .prepare(
        `SELECT m.role, m.content FROM conversation_messages m
         JOIN conversations c ON c.id = m.conversation_id
         WHERE c.person_id = ? AND c.channel = ? AND c.thread_key = ? AND m.person_id = ? AND m.created_at >= ?
         ORDER BY m.id DESC LIMIT ?`,
      )
      .all(personId, channel, threadKey, personId, since, limits.maxMessages) as MemoryMessage[];
    return rows.reverse();
  }

  /** Appends a question and its answer to the thread's memory. */
  remember(personId: number, channel: ChannelKind, threadKey: string, question: string, answer: string, now: Date): void {
    this.db.transaction(() => {
      const id = this.conversationId(personId, channel, threadKey, now);
      const insert = this.db.prepare('INSERT INTO conversation_messages (conversation_id, person_id, role, content, created_at) VALUES (?, ?, ?, ?, ?)');
      insert.run(id, personId, 'user', question, now.toISOString());
      insert.run(id, personId, 'assistant', answer, now.toISOString());
    })();
  }

  /** Records an answer; returns its id for 👍/👎. */
  saveAnswer(personId: number, channel: ChannelKind, answer: string, sources: Citation[], generated: boolean, now: Date): number {
    const result = this.db
      .prepare('INSERT INTO answers (person_id, channel, answer, sources, generated, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(personId, channel, answer, JSON.stringify(sources.map((s) => ({ n: s.n, id: s.id }))), generated ? 1 : 0, now.toISOString());
    return Number(result.lastInsertRowid);
  }

  /** The person an answer was given to, or undefined when there is no such answer. */
  answerOwner(answerId: number): number | null | undefined {
    const row = this.db.prepare('SELECT person_id FROM answers WHERE id = ?').get(answerId) as { person_id: number | null } | undefined;
    return row ? row.person_id : undefined;
  }

  /** Stores (or changes) a person's rating of an answer. */
  rate(answerId: number, personId: number, rating: 1 | -1, now: Date): void {
    this.db
      .prepare(
        `INSERT INTO feedback (answer_id, person_id, rating, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (answer_id, person_id) DO UPDATE SET rating = excluded.rating, created_at = excluded.created_at`,
      )
      .run(answerId, personId, rating, now.toISOString());
  }

  /** True the first time it is called for this person and notice; false afterwards. */
  firstTimeNotice(personId: number, notice: string, now: Date): boolean {
    const result = this.db
      .prepare('INSERT OR IGNORE INTO consultation_notices (person_id, notice, shown_at) VALUES (?, ?, ?)')
      .run(personId, notice, now.toISOString());
    return result.changes === 1;
  }
}
