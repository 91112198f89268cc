/** Detects topics where a human career consultant must come first (distress, health, harassment). */
import type { ConsultationPrompts, SensitiveTopic } from './prompts';
import { SENSITIVE_TOPICS } from './prompts';

/** The sensitive topics a message touches, by the curated word lists in `prompts/consultation/safety.yaml`. */
export function sensitiveTopics(text: string, prompts: ConsultationPrompts): SensitiveTopic[] {
  const lower = text.toLowerCase();
  return SENSITIVE_TOPICS.filter((topic) => prompts.safety.topics[topic].some((word) => lower.includes(word.toLowerCase())));
}
