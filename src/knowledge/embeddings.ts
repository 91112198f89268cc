/**
 * Embedding models: the configured OpenAI-compatible or Azure OpenAI model through LangChain
 * (with the configured timeout and bounded retries), and a deterministic hashing embedder used
 * by tests, the evaluation and the benchmark, where no model server is reachable.
 */
import { createHash } from 'node:crypto';
import { Embeddings } from '@langchain/core/embeddings';
import type { Config } from '../config/config';
import { tokenize } from './text';

/** An embedder with the name and dimension under which its vectors are stored. */
export interface EmbeddingModel {
  name: string;
  /** Known up front for the built-in models; otherwise measured on the first call. */
  dimensions?: number;
  embeddings: Embeddings;
}

/** The configured embedding model, or undefined when none is configured (lexical search only). */
export function createEmbeddingModel(config: Config): EmbeddingModel | undefined {
  const model = config.model;
  if (!model) return undefined;
  // Loaded only when a model is configured: every other process is spared the OpenAI SDK.
  const { AzureOpenAIEmbeddings, OpenAIEmbeddings } = require('@langchain/openai') as typeof import('@langchain/openai');
  const common = { timeout: config.llm.timeoutMs, maxRetries: config.llm.maxRetries, batchSize: 64 };
  if (model.provider === 'azure') {
    if (!model.embeddingsDeploymentName) return undefined;
    return {
      name: `azure:${model.embeddingsDeploymentName}`,
      embeddings: new AzureOpenAIEmbeddings({
        ...common,
        azureOpenAIApiKey: model.apiKey,
        azureOpenAIApiInstanceName: model.instanceName,
        azureOpenAIApiEmbeddingsDeploymentName: model.embeddingsDeploymentName,
        azureOpenAIApiVersion: model.apiVersion,
        // `{base}/{deployment}/embeddings` instead of `{instance}.openai.azure.com` (proxies, sovereign clouds, tests).
        azureOpenAIBasePath: model.basePath,
      }),
    };
  }
  if (!model.embeddingModel) return undefined;
  return {
    name: `openai:${model.embeddingModel}`,
    embeddings: new OpenAIEmbeddings({
      ...common,
      model: model.embeddingModel,
      apiKey: model.apiKey,
      configuration: model.baseUrl ? { baseURL: model.baseUrl } : undefined,
    }),
  };
}

/**
 * A deterministic bag-of-words embedder: each search token (the same segmentation as the
 * full-text index) is hashed to a few signed dimensions, and the vector is L2-normalised.
 * Texts that share words are close; texts that share none are orthogonal, which is exactly
 * the weakness a real semantic model does not have. Good for tests, not for production.
 */
export class HashingEmbeddings extends Embeddings {
  constructor(readonly dimensions = 1536) {
    super({});
  }

  embedOne(text: string): number[] {
    const vector = new Float64Array(this.dimensions);
    for (const token of tokenize(text)) {
      const digest = createHash('sha1').update(token).digest();
      for (let i = 0; i < 3; i++) {
        const index = digest.readUInt32LE(i * 4) % this.dimensions;
        vector[index]! += digest[12 + i]! & 1 ? 1 : -1;
      }
    }
    let norm = 0;
    for (const v of vector) norm += v * v;
    norm = Math.sqrt(norm) || 1;
    return Array.from(vector, (v) => v / norm);
  }

  override async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.embedOne(t));
  }

  override async embedQuery(text: string): Promise<number[]> {
    return this.embedOne(text);
  }
}
