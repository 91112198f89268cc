/** Which answer each sent Teams message carried, for the feedback buttons (see schema.ts). */
import type { Db } from '../../storage/database';

export class AnswerMessages {
  constructor(private readonly db: Db) {}

  record(conversationId: string, activityId: string, personId: number, answerId: number): void {
    this.db
      .prepare(
        `INSERT INTO teams_answer_messages (conversation_id, activity_id, person_id, answer_id) VALUES (?, ?, ?, ?)
         ON CONFLICT (conversation_id, activity_id) DO UPDATE SET answer_id = excluded.answer_id, person_id = excluded.person_id`,
      )
      .run(conversationId, activityId, personId, answerId);
  }

  /** The answer shown in that message (anyone who sees it in a channel may rate it). */
  find(conversationId: string, activityId: string): number | undefined {
    const row = this.db
      .prepare('SELECT answer_id FROM teams_answer_messages WHERE conversation_id = ? AND activity_id = ?')
      .get(conversationId, activityId) as { answer_id: number } | undefined;
    return row?.answer_id;
  }
}
