/**
 * A fake Slack Web API as a real HTTP server on 127.0.0.1, so the real @slack/web-api client
 * (and Bolt's `respond`) cross the wire in tests. It records every call, answers the methods
 * Tsumiki uses with plausible payloads, and lets a test override any method's answer
 * (a 429 with Retry-After, `{ ok: false, error: 'account_inactive' }`, …).
 *
 * Bodies are recorded decoded: form-urlencoded and JSON alike become an object, and the
 * JSON-encoded form fields the client sends (`blocks`, `chunks`, `prompts`, `view`, …) are parsed.
 *
 * It also plays Slack's Socket Mode: `apps.connections.open` (app-level `xapp-` token) answers
 * with the WebSocket URL of this same server (`ws://127.0.0.1:PORT/link`), which greets each
 * connection with `hello`, lets the test push envelopes (`events_api`, `slash_commands`,
 * `interactive`), records the acknowledgements the app sends back and can ask it to reconnect
 * with `disconnect`, as https://docs.slack.dev/apis/events-api/using-socket-mode describes.
 *
 * Messages posted with chat.postMessage (default answer or an override answering `ok: true`) are
 * kept per conversation with their `metadata`, and conversations.history serves them newest first
 * (`oldest`, `latest`, `inclusive`, `limit`, `cursor`; metadata only with `include_all_metadata`).
 * `hold` withholds a method's answers, so a crash test can kill a client while its request is in flight.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

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

/** A message as stored by the fake and served by conversations.history. */
export interface FakeSlackMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown;
  /** Message metadata as posted (`{ event_type, event_payload }`). */
  metadata?: Record<string, unknown>;
  user: string;
  bot_id?: string;
  app_id?: string;
}

/**
 * How held calls behave: `processed: true` = the call takes effect (a message is stored) but its
 * answer is withheld, as when a process dies after Slack got the request; `processed: false` =
 * it never takes effect, as when the request is lost before reaching Slack.
 */
export interface FakeHoldOptions {
  processed: boolean;
}

export interface FakeSlackUser {
  id: string;
  name?: string;
  email?: string;
  tz?: string;
  locale?: string;
  deleted?: boolean;
}

/** An envelope as Slack sends it over a Socket Mode connection. */
export interface FakeSocketEnvelope {
  envelope_id: string;
  type: 'events_api' | 'slash_commands' | 'interactive';
  payload: unknown;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

/** What the app sent back for an envelope: `{ envelope_id, payload? }`. */
export interface FakeSocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
  /** Milliseconds from sending the envelope to receiving its acknowledgement. */
  ms: number;
}

/** The Socket Mode side of the fake (one WebSocket endpoint, `/link`). */
export interface FakeSocketMode {
  /** Connections opened so far (a reconnect adds one). */
  readonly connectionsOpened: number;
  /** Connections open now. */
  readonly openConnections: number;
  acks: FakeSocketAck[];
  /** Close frames received from the app, in order. */
  closes: Array<{ code: number; reason: string }>;
  /** Text frames from the app that were not acknowledgements of a sent envelope. */
  otherMessages: string[];
  /** Resolves when `count` connections have been opened in all (default 1). */
  waitForConnection(count?: number, timeoutMs?: number): Promise<void>;
  /**
   * Sends an envelope on the newest open connection and returns it (with its envelope_id);
   * `accepts_response_payload` defaults to true for slash commands and interactions, as Slack does.
   */
  send(envelope: Omit<FakeSocketEnvelope, 'envelope_id' | 'accepts_response_payload'> & Partial<FakeSocketEnvelope>): FakeSocketEnvelope;
  /** Sends any text frame (a malformed message, say) on the newest open connection. */
  sendRaw(text: string): void;
  /** Resolves with the acknowledgement of `envelopeId`. */
  waitForAck(envelopeId: string, timeoutMs?: number): Promise<FakeSocketAck>;
  /** Sends `{type: 'disconnect', reason}`: Slack's request to reconnect. */
  requestDisconnect(reason?: 'warning' | 'refresh_requested' | 'link_disabled'): void;
  /** Resolves when no connection is open any more. */
  waitForAllClosed(timeoutMs?: number): Promise<void>;
}

export interface FakeSlackApi {
  /** Base URL ending with `/api/`, for SLACK_API_URL. */
  url: string;
  /** Socket Mode: the WebSocket endpoint `apps.connections.open` hands out. */
  socket: FakeSocketMode;
  calls: FakeSlackCall[];
  responseUrlPosts: FakeResponseUrlPost[];
  /** Files uploaded through files.uploadV2 (the upload URL step), by file id. */
  uploads: Map<string, string>;
  /** Overrides a method's answer until `respondTo(method)` is called again without a handler. */
  respondTo(method: string, handler?: FakeHandler): void;
  /** Messages posted to `channel` (all conversations when omitted), oldest first. */
  messages(channel?: string): FakeSlackMessage[];
  /**
   * From now on, calls of `method` are recorded but get no answer (see FakeHoldOptions) until
   * `releaseHeld(method)`: withheld answers are then sent, unprocessed calls are closed unanswered.
   */
  hold(method: string, options: FakeHoldOptions): void;
  releaseHeld(method: string): void;
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
  // Timestamps start at the real clock, as Slack's do, so `oldest` computed from the time of a send matches.
  let ts = Math.floor(Date.now() / 1000);
  const history = new Map<string, FakeSlackMessage[]>();
  const holds = new Map<string, { options: FakeHoldOptions; release: Promise<void>; resolve: () => void }>();
  let counter = 0;
  let base = '';
  let linkUrl = '';
  const sockets: WebSocket[] = [];
  const pendingEnvelopes = new Map<string, number>();
  const socketMode = {
    connectionsOpened: 0,
    acks: [] as FakeSocketAck[],
    closes: [] as Array<{ code: number; reason: string }>,
    otherMessages: [] as string[],
  };
  const nextTs = () => `${ts++}.${String(++counter).padStart(6, '0')}`;

  const defaults: Record<string, FakeHandler> = {
    // Slack hands out a fresh, single-use URL per call; one endpoint is enough for a fake.
    'apps.connections.open': () => ({ ok: true, url: `${linkUrl}?ticket=${randomUUID()}&app_id=A0001` }),
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
    'conversations.history': (b) => {
      const flag = (v: unknown) => v === true || v === 'true' || v === '1' || v === 1;
      const inclusive = flag(b.inclusive);
      const oldest = b.oldest === undefined ? undefined : Number(b.oldest);
      const latest = b.latest === undefined ? undefined : Number(b.latest);
      const matching = [...(history.get(String(b.channel)) ?? [])].reverse().filter((m) => {
        const t = Number(m.ts);
        if (oldest !== undefined && (inclusive ? t < oldest : t <= oldest)) return false;
        if (latest !== undefined && (inclusive ? t > latest : t >= latest)) return false;
        return true;
      });
      const limit = Math.min(Math.max(Number(b.limit ?? 100) || 100, 1), 999);
      const offset = b.cursor ? Number(Buffer.from(String(b.cursor), 'base64').toString('utf8').replace(/^next_ts_offset:/, '')) || 0 : 0;
      const page = matching.slice(offset, offset + limit);
      const hasMore = offset + limit < matching.length;
      const withMetadata = flag(b.include_all_metadata);
      return {
        ok: true,
        messages: page.map(({ channel: _channel, metadata, ...m }) => ({ type: 'message', ...m, ...(withMetadata && metadata ? { metadata } : {}) })),
        has_more: hasMore,
        pin_count: 0,
        response_metadata: { next_cursor: hasMore ? Buffer.from(`next_ts_offset:${offset + limit}`).toString('base64') : '' },
      };
    },
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

  const storeMessage = (body: Record<string, unknown>, answer: Record<string, unknown>) => {
    const channel = String(answer.channel ?? body.channel);
    const message: FakeSlackMessage = { channel, ts: String(answer.ts), text: body.text as string | undefined, user: 'UBOT', bot_id: 'BBOT', app_id: 'A0001' };
    if (body.blocks !== undefined) message.blocks = body.blocks;
    if (body.metadata && typeof body.metadata === 'object') message.metadata = body.metadata as Record<string, unknown>;
    history.set(channel, [...(history.get(channel) ?? []), message]);
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
          // apps.connections.open takes the app-level token and only that, like Slack.
          const appLevel = method === 'apps.connections.open';
          if (!(appLevel ? /xapp-/ : /xox[bp]-/).test(auth)) {
            return send(200, { ok: false, error: /xapp-|xox[bp]-/.test(auth) ? 'not_allowed_token_type' : 'not_authed' });
          }
          const handler = overrides.get(method) ?? defaults[method];
          if (!handler) return send(200, { ok: false, error: 'unknown_method' });
          const held = holds.get(method);
          if (held && !held.options.processed) {
            // Lost on the way: never takes effect; closed unanswered once released.
            await held.release;
            res.destroy();
            return;
          }
          const answer = await handler(body, call);
          if (method === 'chat.postMessage' && (answer as { ok?: unknown }).ok === true) storeMessage(body, answer as Record<string, unknown>);
          if (held) await held.release;
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
  const wss = new WebSocketServer({ server, path: '/link' });
  wss.on('connection', (socket) => {
    sockets.push(socket);
    socketMode.connectionsOpened += 1;
    socket.on('message', (data, isBinary) => {
      const text = isBinary ? '' : data.toString();
      let parsed: { envelope_id?: unknown; payload?: unknown } | undefined;
      try {
        parsed = JSON.parse(text) as typeof parsed;
      } catch {
        parsed = undefined;
      }
      const id = typeof parsed?.envelope_id === 'string' ? parsed.envelope_id : undefined;
      if (id !== undefined && pendingEnvelopes.has(id)) {
        const ack: FakeSocketAck = { envelope_id: id, ms: performance.now() - pendingEnvelopes.get(id)! };
        if (parsed?.payload && typeof parsed.payload === 'object') ack.payload = parsed.payload as Record<string, unknown>;
        pendingEnvelopes.delete(id);
        socketMode.acks.push(ack);
      } else {
        socketMode.otherMessages.push(text);
      }
      notify();
    });
    socket.on('close', (code, reason) => {
      sockets.splice(sockets.indexOf(socket), 1);
      socketMode.closes.push({ code, reason: reason.toString() });
      notify();
    });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: sockets.length,
        debug_info: { host: 'applink-fake-1', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: 'A0001' },
      }),
    );
    notify();
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}/api/`;
  linkUrl = `ws://127.0.0.1:${port}/link`;

  const newestSocket = (): WebSocket => {
    const socket = sockets[sockets.length - 1];
    if (!socket) throw new Error('no Socket Mode connection is open');
    return socket;
  };

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

  const socket: FakeSocketMode = {
    get connectionsOpened() {
      return socketMode.connectionsOpened;
    },
    get openConnections() {
      return sockets.length;
    },
    acks: socketMode.acks,
    closes: socketMode.closes,
    otherMessages: socketMode.otherMessages,
    waitForConnection(count = 1, timeoutMs = 5000) {
      return waitUntil(
        () => (socketMode.connectionsOpened >= count && sockets.length > 0 ? true : undefined),
        timeoutMs,
        () => `${count} Socket Mode connection(s); opened so far: ${socketMode.connectionsOpened}`,
      ).then(() => undefined);
    },
    send(envelope) {
      const full: FakeSocketEnvelope = {
        envelope_id: randomUUID(),
        accepts_response_payload: envelope.type !== 'events_api',
        ...envelope,
      };
      const target = newestSocket();
      pendingEnvelopes.set(full.envelope_id, performance.now());
      target.send(JSON.stringify(full));
      return full;
    },
    sendRaw(text) {
      newestSocket().send(text);
    },
    waitForAck(envelopeId, timeoutMs = 5000) {
      return waitUntil(
        () => socketMode.acks.find((a) => a.envelope_id === envelopeId),
        timeoutMs,
        () => `the ack of envelope ${envelopeId}; acks so far: ${JSON.stringify(socketMode.acks.map((a) => a.envelope_id))}`,
      );
    },
    requestDisconnect(reason = 'refresh_requested') {
      newestSocket().send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake-1' } }));
    },
    waitForAllClosed(timeoutMs = 5000) {
      return waitUntil(
        () => (sockets.length === 0 ? true : undefined),
        timeoutMs,
        () => `all Socket Mode connections to close; still open: ${sockets.length}`,
      ).then(() => undefined);
    },
  };

  return {
    url: base,
    socket,
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
    messages(channel) {
      return channel === undefined ? [...history.values()].flat().sort((a, b) => Number(a.ts) - Number(b.ts)) : [...(history.get(channel) ?? [])];
    },
    hold(method, options) {
      let resolve!: () => void;
      const release = new Promise<void>((r) => (resolve = r));
      holds.get(method)?.resolve();
      holds.set(method, { options, release, resolve });
    },
    releaseHeld(method) {
      holds.get(method)?.resolve();
      holds.delete(method);
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
        for (const h of holds.values()) h.resolve();
        holds.clear();
        for (const s of sockets) s.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
