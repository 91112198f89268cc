/**
 * A fake Slack Web API as a real HTTP server on 127.0.0.1, so the real @slack/web-api client
 * (and Bolt's `respond`) cross the wire in tests. It records every call, answers the methods
 * Tsumiki uses with plausible payloads, and lets a test override any method's answer
 * (a 429 with Retry-After, `{ ok: false, error: 'account_inactive' }`, …).
 *
 * Bodies are recorded decoded: form-urlencoded and JSON alike become an object, and the
 * JSON-encoded form fields the client sends (`blocks`, `chunks`, `prompts`, `view`, …) are parsed.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSlackCall {
  method: string;
  body: Record<string, unknown>;
  contentType: string;
  headers: http.IncomingHttpHeaders;
}

export interface FakeResponseUrlPost {
  /** Which response URL (see `responseUrl()`) was used. */
  id: string;
  body: Record<string, unknown>;
  headers: http.IncomingHttpHeaders;
}

/** What a handler may return: a plain object is sent as a 200 JSON body. */
export type FakeAnswer = Record<string, unknown> | { status: number; headers?: Record<string, string>; body?: unknown };

export type FakeHandler = (body: Record<string, unknown>, call: FakeSlackCall) => FakeAnswer | Promise<FakeAnswer>;

export interface FakeSlackUser {
  id: string;
  name?: string;
  email?: string;
  tz?: string;
  locale?: string;
  deleted?: boolean;
}

export interface FakeSlackApi {
  /** Base URL ending with `/api/`, for SLACK_API_URL. */
  url: string;
  calls: FakeSlackCall[];
  responseUrlPosts: FakeResponseUrlPost[];
  /** Files uploaded through files.uploadV2 (the upload URL step), by file id. */
  uploads: Map<string, string>;
  /** Overrides a method's answer until `respondTo(method)` is called again without a handler. */
  respondTo(method: string, handler?: FakeHandler): void;
  /** Adds or replaces a user answered by users.info and users.lookupByEmail. */
  addUser(user: FakeSlackUser): void;
  /** A fresh response_url served by this fake. */
  responseUrl(): string;
  /** Calls of one method, in order. */
  callsTo(method: string): FakeSlackCall[];
  /** Resolves with the first call matching, waiting up to `timeoutMs`; rejects with what was seen. */
  waitFor(method: string, predicate?: (call: FakeSlackCall) => boolean, timeoutMs?: number): Promise<FakeSlackCall>;
  /** Resolves when a response_url post matching arrives. */
  waitForResponseUrlPost(predicate?: (post: FakeResponseUrlPost) => boolean, timeoutMs?: number): Promise<FakeResponseUrlPost>;
  close(): Promise<void>;
}

const JSON_FIELDS = new Set(['blocks', 'attachments', 'chunks', 'prompts', 'view', 'files', 'metadata', 'users', 'context']);

function decodeForm(raw: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    if (JSON_FIELDS.has(key) && /^[[{]/.test(value)) {
      try {
        out[key] = JSON.parse(value);
        continue;
      } catch {
        // keep the raw string: the test will see what was sent
      }
    }
    out[key] = value;
  }
  return out;
}

function decodeBody(raw: string, contentType: string): Record<string, unknown> {
  if (!raw) return {};
  if (contentType.includes('application/json')) {
    try {
      const parsed = JSON.parse(raw) as unknown;
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : { value: parsed };
    } catch {
      return { raw };
    }
  }
  if (contentType.includes('application/x-www-form-urlencoded')) return decodeForm(raw);
  return { raw };
}

export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  const calls: FakeSlackCall[] = [];
  const responseUrlPosts: FakeResponseUrlPost[] = [];
  const uploads = new Map<string, string>();
  const overrides = new Map<string, FakeHandler>();
  const users = new Map<string, FakeSlackUser>();
  const waiters: Array<() => void> = [];
  let ts = 1_700_000_000;
  let counter = 0;
  let base = '';
  const nextTs = () => `${ts++}.${String(++counter).padStart(6, '0')}`;

  const defaults: Record<string, FakeHandler> = {
    'auth.test': () => ({ ok: true, url: 'https://fake.slack.com/', team: 'Hoshizora', user: 'tsumiki', team_id: 'T0001', user_id: 'UBOT', bot_id: 'BBOT' }),
    'chat.postMessage': (b) => ({ ok: true, channel: b.channel, ts: nextTs(), message: { text: b.text, user: 'UBOT', bot_id: 'BBOT' } }),
    'chat.postEphemeral': () => ({ ok: true, message_ts: nextTs() }),
    'chat.update': (b) => ({ ok: true, channel: b.channel, ts: b.ts, text: b.text }),
    'chat.startStream': (b) => ({ ok: true, channel: b.channel, ts: nextTs() }),
    'chat.appendStream': (b) => ({ ok: true, channel: b.channel, ts: b.ts }),
    'chat.stopStream': (b) => ({ ok: true, channel: b.channel, ts: b.ts, message: { text: '' } }),
    'assistant.threads.setStatus': () => ({ ok: true }),
    'assistant.threads.setSuggestedPrompts': () => ({ ok: true }),
    'assistant.threads.setTitle': () => ({ ok: true }),
    'views.publish': (b) => ({ ok: true, view: { id: `V${++counter}`, ...(b.view as object) } }),
    'views.open': (b) => ({ ok: true, view: { id: `V${++counter}`, ...(b.view as object) } }),
    'views.update': (b) => ({ ok: true, view: { id: b.view_id ?? `V${++counter}` } }),
    'users.info': (b) => {
      const user = users.get(String(b.user));
      if (!user) return { ok: false, error: 'user_not_found' };
      return {
        ok: true,
        user: {
          id: user.id,
          name: user.name ?? user.id,
          real_name: user.name,
          deleted: user.deleted ?? false,
          tz: user.tz ?? 'Asia/Tokyo',
          locale: user.locale,
          profile: { email: user.email, real_name: user.name, display_name: user.name },
        },
      };
    },
    'users.lookupByEmail': (b) => {
      const user = [...users.values()].find((u) => u.email?.toLowerCase() === String(b.email).toLowerCase());
      return user ? { ok: true, user: { id: user.id, name: user.name, tz: user.tz ?? 'Asia/Tokyo', profile: { email: user.email } } } : { ok: false, error: 'users_not_found' };
    },
    'conversations.replies': () => ({ ok: true, messages: [], has_more: false }),
    'conversations.open': (b) => ({ ok: true, channel: { id: `D${String(b.users).replace(/^U/, '')}` } }),
    'files.getUploadURLExternal': (b) => {
      const id = `F${++counter}`;
      return { ok: true, upload_url: `${base}upload/${id}?filename=${encodeURIComponent(String(b.filename))}`, file_id: id };
    },
    'files.completeUploadExternal': (b) => ({
      ok: true,
      files: ((b.files as Array<{ id: string; title?: string }>) ?? []).map((f) => ({ id: f.id, title: f.title })),
    }),
  };

  const notify = () => {
    for (const w of waiters.splice(0)) w();
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const contentType = String(req.headers['content-type'] ?? '');
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
          res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
          res.end(typeof body === 'string' ? body : JSON.stringify(body));
        };
        try {
          if (url.pathname.startsWith('/response-url/')) {
            responseUrlPosts.push({ id: url.pathname.slice('/response-url/'.length), body: decodeBody(raw, contentType), headers: req.headers });
            notify();
            return send(200, 'ok', { 'content-type': 'text/plain' });
          }
          if (url.pathname.startsWith('/api/upload/')) {
            uploads.set(url.pathname.slice('/api/upload/'.length), raw);
            notify();
            return send(200, `OK - ${raw.length}`, { 'content-type': 'text/plain' });
          }
          if (!url.pathname.startsWith('/api/')) return send(404, { ok: false, error: 'not_found' });
          const method = url.pathname.slice('/api/'.length);
          const body = decodeBody(raw, contentType);
          const call: FakeSlackCall = { method, body, contentType, headers: req.headers };
          calls.push(call);
          notify();
          const auth = String(req.headers.authorization ?? body.token ?? '');
          if (!/xox[bp]-|Bearer xox[bp]-/.test(auth)) return send(200, { ok: false, error: 'not_authed' });
          const handler = overrides.get(method) ?? defaults[method];
          if (!handler) return send(200, { ok: false, error: 'unknown_method' });
          const answer = await handler(body, call);
          if (typeof (answer as { status?: unknown }).status === 'number' && !('ok' in answer)) {
            const a = answer as { status: number; headers?: Record<string, string>; body?: unknown };
            return send(a.status, a.body ?? { ok: false, error: 'ratelimited' }, a.headers);
          }
          return send(200, answer);
        } catch (error) {
          return send(500, { ok: false, error: String(error) });
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}/api/`;

  const waitUntil = <T>(find: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found !== undefined) {
          clearTimeout(timer);
          resolve(found);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what()}`)), timeoutMs);
      const loop = () => {
        if (!check()) waiters.push(loop);
      };
      loop();
    });

  return {
    url: base,
    calls,
    responseUrlPosts,
    uploads,
    respondTo(method, handler) {
      if (handler) overrides.set(method, handler);
      else overrides.delete(method);
    },
    addUser(user) {
      users.set(user.id, user);
    },
    responseUrl() {
      return `http://127.0.0.1:${port}/response-url/${++counter}`;
    },
    callsTo(method) {
      return calls.filter((c) => c.method === method);
    },
    waitFor(method, predicate = () => true, timeoutMs = 5000) {
      return waitUntil(
        () => calls.find((c) => c.method === method && predicate(c)),
        timeoutMs,
        () => `${method}; calls so far: ${calls.map((c) => c.method).join(', ') || 'none'}`,
      );
    },
    waitForResponseUrlPost(predicate = () => true, timeoutMs = 5000) {
      return waitUntil(
        () => responseUrlPosts.find(predicate),
        timeoutMs,
        () => `a response_url post; posts so far: ${JSON.stringify(responseUrlPosts.map((p) => p.body))}`,
      );
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
