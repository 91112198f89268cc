/**
 * The consultation chain, composed from `@langchain/core` runnables:
 *   rewrite (only with history) → retrieve → numbered context within a token budget → answer messages
 * and the generation step `messages → model → text` that the service streams with retries.
 * Only the question, the bounded history and the retrieved chunks reach the model.
 */
import type { Document } from '@langchain/core/documents';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, HumanMessage, type BaseMessage } from '@langchain/core/messages';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate, MessagesPlaceholder } from '@langchain/core/prompts';
import { RunnableLambda, RunnablePassthrough, RunnableSequence, type Runnable, type RunnableLike } from '@langchain/core/runnables';
import type { Locale } from '../core/types';
import type { SearchHit } from '../knowledge/types';
import { callWithRetries } from '../llm';
import { formatContext, hitFromDocument, type FormattedContext } from './context';
import type { MemoryMessage } from './consultation-repository';
import type { ConsultationPrompts } from './prompts';

export interface ConsultationInput {
  question: string;
  history: MemoryMessage[];
  locale: Locale;
  /** A distress/health/harassment topic: the referral is shown by code, the model is told so. */
  sensitive: boolean;
}

export interface PreparedConsultation extends ConsultationInput {
  /** What was searched: the question itself, or its stand-alone rewrite. */
  query: string;
  hits: SearchHit[];
  context: FormattedContext;
  /** System prompt (with context), history and question, ready for the model. */
  messages: BaseMessage[];
}

export interface PreparationDeps {
  prompts: ConsultationPrompts;
  /** Any retriever whose Documents carry the knowledge base's document fields in metadata. */
  retriever: Runnable<string, Document[]>;
  /** Rewrites follow-ups; undefined in offline mode (history and question are then searched together). */
  rewriteModel?: BaseChatModel;
  /** Time allowed for the rewrite, retries included. */
  rewriteBudgetMs: number;
  contextTokenBudget: number;
  consultantContact: string;
  signal?: AbortSignal;
  /** Told when the rewrite fell back (logs, metrics). */
  onRewriteFailure?(error: unknown): void;
}

export function historyMessages(history: MemoryMessage[]): BaseMessage[] {
  return history.map((m) => (m.role === 'user' ? new HumanMessage(m.content) : new AIMessage(m.content)));
}

/** Without a model, a follow-up is searched together with the person's previous question. */
function fallbackQuery(input: ConsultationInput): string {
  const lastQuestion = [...input.history].reverse().find((m) => m.role === 'user')?.content;
  return lastQuestion ? `${lastQuestion}\n${input.question}` : input.question;
}

/** The answer prompt for a locale: system (stance, rules, context), history, question. */
export function answerPrompt(prompts: ConsultationPrompts, locale: Locale): ChatPromptTemplate {
  return ChatPromptTemplate.fromMessages([['system', prompts.system[locale]], new MessagesPlaceholder('history'), ['human', '{question}']]);
}

export function rewritePrompt(prompts: ConsultationPrompts, locale: Locale): ChatPromptTemplate {
  return ChatPromptTemplate.fromMessages([['system', prompts.rewrite[locale]], new MessagesPlaceholder('history'), ['human', '{question}']]);
}

/** Builds the preparation chain: everything up to the messages for the model. */
export function buildPreparationChain(deps: PreparationDeps): Runnable<ConsultationInput, PreparedConsultation> {
  const rewrite = RunnableLambda.from(async (input: ConsultationInput): Promise<string> => {
    if (input.history.length === 0) return input.question; // nothing to resolve: no model call
    const model = deps.rewriteModel;
    if (!model) return fallbackQuery(input);
    const chain = rewritePrompt(deps.prompts, input.locale).pipe(model).pipe(new StringOutputParser());
    try {
      const text = await callWithRetries((signal) => chain.invoke({ history: historyMessages(input.history), question: input.question }, { signal }), {
        maxRetries: 1,
        budgetMs: deps.rewriteBudgetMs,
        baseDelayMs: 100,
        signal: deps.signal,
      });
      const line = text.trim().split('\n')[0]?.trim();
      return line ? line : fallbackQuery(input);
    } catch (error) {
      deps.onRewriteFailure?.(error);
      return fallbackQuery(input);
    }
  });

  const retrieve = RunnableLambda.from(async (input: ConsultationInput & { query: string }): Promise<SearchHit[]> => {
    const docs = await deps.retriever.invoke(input.query, { signal: deps.signal });
    return docs.map((d, i) => hitFromDocument(d, i)).filter((h): h is SearchHit => h !== undefined);
  });

  const context = RunnableLambda.from((input: { hits: SearchHit[] }) => formatContext(input.hits, deps.contextTokenBudget));

  const messages = RunnableLambda.from((input: ConsultationInput & { context: FormattedContext }) =>
    answerPrompt(deps.prompts, input.locale).formatMessages({
      context: input.context.text || (input.locale === 'ja' ? '(該当する社内資料はありません)' : '(no matching company documents)'),
      consultant_contact: deps.consultantContact,
      sensitive_note: input.sensitive ? deps.prompts.safety.modelNote[input.locale] : '',
      history: historyMessages(input.history),
      question: input.question,
    }),
  );

  // assign() is typed over Record<string, unknown>; each step reads the fields the previous ones added.
  const step = <T>(r: Runnable<never, T>) => r as unknown as RunnableLike<Record<string, unknown>, T>;
  return RunnableSequence.from([
    RunnablePassthrough.assign({ query: step(rewrite) }),
    RunnablePassthrough.assign({ hits: step(retrieve) }),
    RunnablePassthrough.assign({ context: step(context) }),
    RunnablePassthrough.assign({ messages: step(messages) }),
  ]) as unknown as Runnable<ConsultationInput, PreparedConsultation>;
}

/** The generation step: messages → model → text (streamed by the caller). */
export function buildGenerationChain(model: BaseChatModel): Runnable<BaseMessage[], string> {
  return model.pipe(new StringOutputParser());
}
