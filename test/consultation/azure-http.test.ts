/**
 * Azure OpenAI across HTTP: the real `AzureChatOpenAI` / `AzureOpenAIEmbeddings` clients, pointed at
 * the fake server through AZURE_OPENAI_BASE_PATH, serve the consultation and the knowledge base.
 * The fake refuses what Azure refuses (no api-version, no api-key), and opens its streams with
 * Azure's choice-less content-filter chunk, so a wrong URL, header or parser fails here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/config';
import type { Reply } from '../../src/core/types';
import { startFakeOpenAI, type ChatRequestBody, type FakeOpenAI } from '../fakes/fake-openai';
import { makeTestCore, tempDir, type TestCore } from '../helpers/test-core';

const API_KEY = 'azure-test-key';
const API_VERSION = '2024-10-21';
const CHAT_DEPLOYMENT = 'tsumiki-chat';
const EMBEDDINGS_DEPLOYMENT = 'tsumiki-embed';

/** Cites document [1] and links to it; the rewrite call gets a stand-alone question. */
function replyFor(body: ChatRequestBody): string {
  const system = String(body.messages?.[0]?.content ?? '');
  if (!system.includes('URL:')) return 'rewritten stand-alone question about cloud training';
  const url = /URL: (\S+)/.exec(system)?.[1] ?? '';
  return `クラウドの仕事に挑戦したいのですね。研修 [1] が具体的な一歩になります。詳しくは [こちら](${url}) をご覧ください。今の仕事のどの部分を伸ばしたいですか?`;
}

function azureEnv(fake: FakeOpenAI, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AZURE_OPENAI_API_KEY: API_KEY,
    AZURE_OPENAI_API_DEPLOYMENT_NAME: CHAT_DEPLOYMENT,
    AZURE_OPENAI_API_VERSION: API_VERSION,
    // A trailing slash, as people paste it: it must not become `//tsumiki-chat`.
    AZURE_OPENAI_BASE_PATH: `${fake.azureBasePath}/`,
    TSUMIKI_LLM_TIMEOUT_MS: '2000',
    TSUMIKI_LLM_MAX_RETRIES: '2',
    ...extra,
  };
}

function answerOf(replies: Reply[]): Reply {
  const answer = replies.find((r) => r.kind === 'answer');
  if (!answer) throw new Error(`no answer in ${JSON.stringify(replies)}`);
  return answer;
}

describe('AZURE_OPENAI_BASE_PATH configuration', () => {
  test('selects Azure without an instance name, drops trailing slashes, and rejects a non-URL', () => {
    const model = loadConfig({ NODE_ENV: 'test', AZURE_OPENAI_API_KEY: 'k', AZURE_OPENAI_API_DEPLOYMENT_NAME: 'd', AZURE_OPENAI_BASE_PATH: 'https://proxy.example.com/openai/deployments//' }).model;
    expect(model).toMatchObject({ provider: 'azure', deploymentName: 'd', basePath: 'https://proxy.example.com/openai/deployments' });
    expect(() => loadConfig({ NODE_ENV: 'test', AZURE_OPENAI_API_KEY: 'k', AZURE_OPENAI_API_DEPLOYMENT_NAME: 'd', AZURE_OPENAI_BASE_PATH: 'proxy.example.com' })).toThrow(
      /AZURE_OPENAI_BASE_PATH must be an http\(s\) URL/,
    );
    expect(() => loadConfig({ NODE_ENV: 'test', AZURE_OPENAI_BASE_PATH: 'https://proxy.example.com/openai/deployments' })).toThrow(
      /AZURE_OPENAI_API_KEY is required[\s\S]*AZURE_OPENAI_API_DEPLOYMENT_NAME is required/,
    );
  });
});

describe('consultation through AzureChatOpenAI over HTTP', () => {
  let fake: FakeOpenAI;
  let core: TestCore;
  beforeAll(async () => {
    fake = await startFakeOpenAI({ reply: replyFor });
    core = makeTestCore(azureEnv(fake));
    await core.knowledge.ingest('data');
    core.importOrg('E100,Sato Hanako,hanako.sato@hoshizora.example,,U100,,Asia/Tokyo,ja');
  });
  afterAll(async () => {
    await core.close();
    await fake.close();
  });
  beforeEach(() => fake.setBehaviour({ faults: [], firstTokenDelayMs: 0, tokenDelayMs: 0 }));

  async function ask(text: string, tokens: string[] = []): Promise<Reply> {
    const replies = await core.router.handle(
      { actor: core.actor('E100'), surface: 'dm', threadKey: `azure-${Math.random()}`, text },
      { onToken: (t) => void tokens.push(t) },
    );
    return answerOf(replies);
  }

  test('the answer streams from the chat deployment, with api-version and api-key, and cites real documents', async () => {
    const before = fake.requests.length;
    const tokens: string[] = [];
    const answer = await ask('入社5年目のSEです。クラウドの仕事に挑戦したいです', tokens);

    expect(answer.generated).toBe(true);
    expect(tokens.length).toBeGreaterThan(2);
    expect(answer.text.startsWith(tokens.join('').trim())).toBe(true);
    expect(answer.sources).toHaveLength(1);
    const cited = answer.sources![0]!;
    const doc = core.knowledge.getDocument(cited.id)!;
    expect(doc.url).toBe(cited.url);
    expect(doc.title).toBe(cited.title);
    expect(answer.text).toContain(`[こちら](${cited.url})`);

    const requests = fake.requests.slice(before);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request!.path).toBe(`/openai/deployments/${CHAT_DEPLOYMENT}/chat/completions`);
    expect(request!.deployment).toBe(CHAT_DEPLOYMENT);
    expect(request!.query['api-version']).toBe(API_VERSION);
    expect(request!.headers['api-key']).toBe(API_KEY);
    expect(request!.body.stream).toBe(true);
    expect(String(request!.body.messages[0].content)).toContain(cited.url);
  });

  test('429 with a Retry-After beyond the budget: the offline answer at once, with a notice', async () => {
    fake.setBehaviour({ faults: [{ kind: 'status', status: 429, retryAfterSeconds: 120 }] });
    const before = fake.chatRequests().length;
    const started = Date.now();
    const answer = await ask('AWS の研修を受けたいです');
    expect(Date.now() - started).toBeLessThan(1500);
    expect(fake.chatRequests().length - before).toBe(1);
    expect(answer.generated).toBe(false);
    expect(answer.text).toContain('AI の応答が時間内に得られなかったため');
    expect(answer.sources!.length).toBeGreaterThan(0);
  });

  test('500 once: retried on the same deployment and answered', async () => {
    fake.setBehaviour({ faults: [{ kind: 'status', status: 500 }] });
    const before = fake.chatRequests().length;
    const answer = await ask('AWS の研修を受けたいです');
    const requests = fake.chatRequests().slice(before);
    expect(requests).toHaveLength(2);
    for (const r of requests) expect(r.path).toBe(`/openai/deployments/${CHAT_DEPLOYMENT}/chat/completions`);
    expect(answer.generated).toBe(true);
  });

  test('5xx every time: bounded retries, then the offline answer with a notice', async () => {
    fake.setBehaviour({ faults: Array.from({ length: 10 }, () => ({ kind: 'status' as const, status: 500 })) });
    const before = fake.chatRequests().length;
    const answer = await ask('How can I learn AWS cloud basics?');
    expect(fake.chatRequests().length - before).toBe(3); // 1 + TSUMIKI_LLM_MAX_RETRIES
    expect(answer.generated).toBe(false);
    expect(answer.text).toContain('The AI did not answer in time');
  });

  test('no embeddings deployment: Azure serves chat only, retrieval stays lexical', () => {
    expect(core.knowledge.stats().vectors).toBe(0);
    expect(fake.requests.some((r) => r.path.endsWith('/embeddings'))).toBe(false);
  });
});

describe('knowledge base vectors through AzureOpenAIEmbeddings over HTTP', () => {
  let fake: FakeOpenAI;
  let core: TestCore;
  let dataDir: string;
  beforeAll(async () => {
    fake = await startFakeOpenAI({ embeddingDimensions: 64 });
    core = makeTestCore(azureEnv(fake, { AZURE_OPENAI_API_EMBEDDINGS_DEPLOYMENT_NAME: EMBEDDINGS_DEPLOYMENT }));
    dataDir = tempDir('tsumiki-azure-data-');
    const doc = (id: string, title: string, body: string) =>
      `---\nid: ${id}\nkind: training\ntitle: ${title}\nlang: ja\nurl: https://intra.example.com/training/${id}\nskills: [AWS]\n---\n${body}\n`;
    fs.writeFileSync(path.join(dataDir, 'cloud.md'), doc('trn-cloud', 'クラウド基礎 (AWS)', '## 概要\nAWS の基本サービスを学ぶ入門講座です。'));
    fs.writeFileSync(path.join(dataDir, 'finance.md'), doc('trn-finance', '財務入門', '## 概要\n財務諸表の読み方を学びます。'));
  });
  afterAll(async () => {
    await core.close();
    await fake.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('ingest embeds every chunk through the embeddings deployment', async () => {
    const report = await core.knowledge.ingest(dataDir);
    expect(report.problems).toEqual([]);
    const stats = core.knowledge.stats();
    expect(stats.documents).toBe(2);
    expect(stats.vectors).toBeGreaterThan(0);
    expect(stats.vectors).toBe(stats.chunks);

    const calls = fake.requests.filter((r) => r.path.endsWith('/embeddings'));
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call.path).toBe(`/openai/deployments/${EMBEDDINGS_DEPLOYMENT}/embeddings`);
      expect(call.query['api-version']).toBe(API_VERSION);
      expect(call.headers['api-key']).toBe(API_KEY);
    }
    const embedded = calls.flatMap((c) => (Array.isArray(c.body.input) ? c.body.input : [c.body.input])).join('\n');
    expect(embedded).toContain('AWS の基本サービス');
  });

  test('a search embeds the query through the same deployment and finds the matching document', async () => {
    const before = fake.requests.length;
    const hits = await core.knowledge.search('AWS の基本サービスを学ぶ', { k: 1 });
    expect(hits[0]?.document.id).toBe('trn-cloud');
    const calls = fake.requests.slice(before);
    expect(calls.map((c) => c.path)).toEqual([`/openai/deployments/${EMBEDDINGS_DEPLOYMENT}/embeddings`]);
  });
});
