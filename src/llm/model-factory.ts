/**
 * The language models, built from configuration with LangChain's own integrations:
 * OpenAI or any OpenAI-compatible server (`OPENAI_BASE_URL`: Ollama, vLLM, LiteLLM, LM Studio)
 * through `ChatOpenAI`, and Azure OpenAI through `AzureChatOpenAI`
 * (`https://{instance}.openai.azure.com/openai/deployments/{deployment}`, or
 * `{AZURE_OPENAI_BASE_PATH}/{deployment}` for a proxy, a sovereign cloud or a test server).
 *
 * The clients do no retries of their own (`maxRetries: 0`): callers retry through
 * `callWithRetries`, which honours Retry-After and an overall time budget, so a person never waits
 * longer than the budget however many layers would otherwise retry.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { Embeddings } from '@langchain/core/embeddings';
import type { Config, ModelConfig } from '../config/config';

/**
 * @langchain/openai and the OpenAI SDK under it (about 30 MB of RSS) are loaded on the first
 * model built, so an offline process, or one that never calls a model (`tsumiki tick`), does not
 * pay for them. `require`: the factories are synchronous and the code runs as CommonJS.
 */
function openAi(): typeof import('@langchain/openai') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@langchain/openai') as typeof import('@langchain/openai');
}

export interface ChatModelOptions {
  /** Per-request timeout in ms (default: `config.llm.timeoutMs`). */
  timeoutMs?: number;
  /**
   * True for a model whose answers are read with `.stream()` (token streaming); false (default) for
   * models read with `.invoke()`. With false, LangChain's `.stream()` yields the whole answer at
   * once; with true, `.invoke()` estimates token usage with tiktoken, which downloads its encoding
   * from the internet and hangs on a machine without it: so stream with one, invoke with the other.
   */
  streaming?: boolean;
  temperature?: number;
  /** Upper bound on generated tokens. */
  maxTokens?: number;
}

/** The chat model for `config.model`, or undefined in offline mode. */
export function createChatModel(config: Pick<Config, 'model' | 'llm'>, options: ChatModelOptions = {}): BaseChatModel | undefined {
  if (!config.model) return undefined;
  return chatModelFor(config.model, {
    timeoutMs: options.timeoutMs ?? config.llm.timeoutMs,
    streaming: options.streaming ?? false,
    temperature: options.temperature ?? 0.3,
    maxTokens: options.maxTokens ?? 900,
  });
}

function chatModelFor(model: ModelConfig, options: Required<ChatModelOptions>): BaseChatModel {
  const common = {
    timeout: options.timeoutMs,
    maxRetries: 0,
    streaming: options.streaming,
    temperature: options.temperature,
    maxTokens: options.maxTokens,
  };
  const { AzureChatOpenAI, ChatOpenAI } = openAi();
  if (model.provider === 'azure') {
    return new AzureChatOpenAI({
      ...common,
      azureOpenAIApiKey: model.apiKey,
      azureOpenAIApiInstanceName: model.instanceName,
      azureOpenAIApiDeploymentName: model.deploymentName,
      azureOpenAIApiVersion: model.apiVersion,
      azureOpenAIBasePath: model.basePath,
    });
  }
  return new ChatOpenAI({
    ...common,
    model: model.chatModel,
    apiKey: model.apiKey,
    // Chat Completions is what every OpenAI-compatible server speaks; the Responses API is OpenAI's own.
    useResponsesApi: false,
    configuration: model.baseUrl ? { baseURL: model.baseUrl } : undefined,
  });
}

/**
 * The embeddings model for `config.model`, or undefined when none is configured
 * (OpenAI: only with `OPENAI_EMBEDDING_MODEL`; Azure: only with an embeddings deployment).
 */
export function createEmbeddings(config: Pick<Config, 'model' | 'llm'>, options: { timeoutMs?: number; maxRetries?: number } = {}): Embeddings | undefined {
  const model = config.model;
  if (!model) return undefined;
  const timeout = options.timeoutMs ?? config.llm.timeoutMs;
  const maxRetries = options.maxRetries ?? config.llm.maxRetries;
  const { AzureOpenAIEmbeddings, OpenAIEmbeddings } = openAi();
  if (model.provider === 'azure') {
    if (!model.embeddingsDeploymentName) return undefined;
    return new AzureOpenAIEmbeddings({
      timeout,
      maxRetries,
      azureOpenAIApiKey: model.apiKey,
      azureOpenAIApiInstanceName: model.instanceName,
      azureOpenAIApiEmbeddingsDeploymentName: model.embeddingsDeploymentName,
      azureOpenAIApiVersion: model.apiVersion,
      azureOpenAIBasePath: model.basePath,
    });
  }
  if (!model.embeddingModel) return undefined;
  return new OpenAIEmbeddings({
    timeout,
    maxRetries,
    model: model.embeddingModel,
    apiKey: model.apiKey,
    configuration: model.baseUrl ? { baseURL: model.baseUrl } : undefined,
  });
}
