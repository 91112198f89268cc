/**
 * An OpenAI-compatible API as a real HTTP server on 127.0.0.1, so tests drive the real
 * `@langchain/openai` / `openai` clients across the wire. Implements:
 *   POST /v1/chat/completions  — JSON, or SSE (`data:` chunks, then `data: [DONE]`) with `stream: true`
 *   POST /v1/embeddings        — deterministic vectors (hashed character trigrams, L2-normalised),
 *                                as float arrays or base64 (the openai client asks for base64)
 * and the same two as Azure OpenAI serves them (base path `azureBasePath`, for AZURE_OPENAI_BASE_PATH):
 *   POST /openai/deployments/:deployment/chat/completions?api-version=…
 *   POST /openai/deployments/:deployment/embeddings?api-version=…
 * which, like Azure, refuse a request without `api-version` (404) or without an `api-key` header (401),
 * and whose SSE stream opens with Azure's choice-less `prompt_filter_results` chunk.
 * Faults are injected per chat request: a status (429 with Retry-After, 500 …), a cut stream,
 * or a long delay (to trigger client timeouts).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One injected fault, consumed by one chat-completion request, in order. */
export type FakeFault =
  | { kind: 'status'; status: number; retryAfterSeconds?: number; message?: string }
  /** Streams this many tokens, then destroys the socket without `[DONE]` (non-streaming: destroys at once). */
  | { kind: 'cut'; afterTokens: number }
  /** Waits this long before answering at all (client timeouts). */
  | { kind: 'delay'; ms: number };

export interface FakeBehaviour {
  /** The assistant's reply: fixed text or computed from the request body. */
  reply: string | ((body: ChatRequestBody) => string);
  /** Delay before the first byte of a successful answer (time to first token). */
  firstTokenDelayMs: number;
  /** Delay between SSE chunks. */
  tokenDelayMs: number;
  /** Faults for the next chat requests, one each, in order. */
  faults: FakeFault[];
  /** Vector size for embeddings when the request does not ask for `dimensions`. */
  embeddingDimensions: number;
}

export interface ChatRequestBody {
  model?: string;
  stream?: boolean;
  messages?: Array<{ role: string; content: unknown }>;
  [key: string]: unknown;
}

export interface RecordedRequest {
  /** The path without the query string. */
  path: string;
  /** Query parameters (Azure's `api-version`). */
  query: Record<string, string>;
  /** The Azure deployment named in the path; undefined on the OpenAI routes. */
  deployment?: string;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- a test inspects whatever the client sent
  headers: http.IncomingHttpHeaders;
  at: number;
}

export interface FakeOpenAI {
  /** Base URL ending in `/v1`, for OPENAI_BASE_URL / `configuration.baseURL`. */
  url: string;
  /** Azure OpenAI base path ending in `/openai/deployments`, for AZURE_OPENAI_BASE_PATH / `azureOpenAIBasePath`. */
  azureBasePath: string;
  requests: RecordedRequest[];
  /** Chat-completion requests only. */
  chatRequests(): RecordedRequest[];
  /** Merges into the current behaviour. */
  setBehaviour(behaviour: Partial<FakeBehaviour>): void;
  close(): Promise<void>;
}

const DEFAULT_BEHAVIOUR: FakeBehaviour = {
  reply: 'OK',
  firstTokenDelayMs: 0,
  tokenDelayMs: 0,
  faults: [],
  embeddingDimensions: 256,
};

/** Splits a reply into stream tokens: words with their trailing space; long CJK runs in 3-character pieces. */
export function tokenize(text: string): string[] {
  const words = text.match(/\S+\s*|\s+/g) ?? [];
  return words.flatMap((w) => (w.length > 6 ? (w.match(/[\s\S]{1,3}/g) ?? [w]) : [w]));
}

/** A deterministic, roughly similarity-preserving vector for a text. */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  const v = new Array<number>(dimensions).fill(0);
  const chars = [...text.toLowerCase()];
  for (let i = 0; i < Math.max(1, chars.length - 2); i++) {
    const gram = chars.slice(i, i + 3).join('');
    let h = 2166136261;
    for (let j = 0; j < gram.length; j++) h = Math.imul(h ^ gram.charCodeAt(j), 16777619);
    v[(h >>> 0) % dimensions]! += 1;
  }
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}

/** Waits, but stops waiting when the client goes away, so no timer outlives a test. */
function wait(ms: number, res: http.ServerResponse): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    res.once('close', done);
    function done() {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    }
  });
}

export async function startFakeOpenAI(options: Partial<FakeBehaviour> = {}): Promise<FakeOpenAI> {
  let behaviour: FakeBehaviour = { ...DEFAULT_BEHAVIOUR, ...options, faults: [...(options.faults ?? [])] };
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  let sequence = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks).toString('utf8')).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const query = Object.fromEntries(url.searchParams);
    const deployment = /^\/openai\/deployments\/([^/]+)\//.exec(path)?.[1];
    let body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      json(res, 400, { error: { message: 'invalid JSON', type: 'invalid_request_error' } });
      return;
    }
    requests.push({ path, query, deployment: deployment === undefined ? undefined : decodeURIComponent(deployment), body, headers: req.headers, at: Date.now() });
    if (deployment !== undefined && !query['api-version']) {
      // Azure answers a request without api-version with a bare 404.
      json(res, 404, { error: { code: '404', message: 'Resource not found' } });
    } else if (deployment !== undefined && !req.headers['api-key'] && !req.headers.authorization) {
      json(res, 401, { error: { code: '401', message: 'Access denied due to invalid subscription key or wrong API endpoint.' } });
    } else if (req.method !== 'POST') {
      json(res, 404, { error: { message: 'not found', type: 'invalid_request_error' } });
    } else if (path.endsWith('/chat/completions')) {
      await chat(res, body as ChatRequestBody, deployment !== undefined);
    } else if (path.endsWith('/embeddings')) {
      embeddings(res, body);
    } else {
      json(res, 404, { error: { message: `no route ${path}`, type: 'invalid_request_error' } });
    }
  }

  async function chat(res: http.ServerResponse, body: ChatRequestBody, azure = false): Promise<void> {
    const fault = behaviour.faults.shift();
    if (fault?.kind === 'status') {
      const headers: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      json(res, fault.status, { error: { message: fault.message ?? `injected ${fault.status}`, type: fault.status === 429 ? 'rate_limit_error' : 'server_error' } }, headers);
      return;
    }
    if (fault?.kind === 'delay') await wait(fault.ms, res);
    if (res.destroyed) return;
    const text = typeof behaviour.reply === 'function' ? behaviour.reply(body) : behaviour.reply;
    const id = `chatcmpl-fake-${++sequence}`;
    const model = body.model ?? 'fake-model';
    const created = Math.floor(Date.now() / 1000);
    await wait(behaviour.firstTokenDelayMs, res);
    if (res.destroyed) return;
    if (!body.stream) {
      if (fault?.kind === 'cut') {
        res.destroy();
        return;
      }
      json(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 10, completion_tokens: tokenize(text).length, total_tokens: 10 + tokenize(text).length },
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const send = (delta: Record<string, unknown>, finish: string | null) =>
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
    // Azure's content filter speaks first, in a chunk without choices, which a client must skip.
    if (azure) res.write(`data: ${JSON.stringify({ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }] })}\n\n`);
    send({ role: 'assistant', content: '' }, null);
    const tokens = tokenize(text);
    for (let i = 0; i < tokens.length; i++) {
      if (fault?.kind === 'cut' && i >= fault.afterTokens) {
        res.destroy();
        return;
      }
      if (i > 0 && behaviour.tokenDelayMs > 0) await wait(behaviour.tokenDelayMs, res);
      if (res.destroyed) return;
      send({ content: tokens[i] }, null);
    }
    if (fault?.kind === 'cut') {
      res.destroy();
      return;
    }
    send({}, 'stop');
    res.write('data: [DONE]\n\n');
    res.end();
  }

  function embeddings(res: http.ServerResponse, body: { input?: unknown; dimensions?: number; encoding_format?: string; model?: string }): void {
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    const dimensions = body.dimensions ?? behaviour.embeddingDimensions;
    const data = inputs.map((input, index) => {
      const text = typeof input === 'string' ? input : JSON.stringify(input);
      const vector = fakeEmbedding(text, dimensions);
      const embedding = body.encoding_format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
      return { object: 'embedding', index, embedding };
    });
    json(res, 200, { object: 'list', data, model: body.model ?? 'fake-embedding', usage: { prompt_tokens: inputs.length, total_tokens: inputs.length } });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    azureBasePath: `http://127.0.0.1:${port}/openai/deployments`,
    requests,
    chatRequests: () => requests.filter((r) => r.path.endsWith('/chat/completions')),
    setBehaviour(next) {
      behaviour = { ...behaviour, ...next, faults: next.faults ? [...next.faults] : behaviour.faults };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
