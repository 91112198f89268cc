/** Language models shared by every feature: factory from configuration, and bounded retries. */
export { createChatModel, createEmbeddings, type ChatModelOptions } from './model-factory';
export { callWithRetries, classifyLlmError, retryAfterMs, LlmUnavailableError, type LlmFailureKind, type RetryOptions } from './retry';
