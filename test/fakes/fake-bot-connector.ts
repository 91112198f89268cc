/**
 * A fake Bot Framework connector (the service behind an activity's `serviceUrl`) as a real HTTP
 * server on 127.0.0.1, so botbuilder's own ConnectorClient crosses the wire in tests. It records
 * what the bot sends and can be told to fail the next requests (429, 403, 502 …).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedActivity {
  conversationId: string;
  activity: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- whatever the bot sent, asserted field by field
  method: 'POST' | 'PUT';
  /** Set for replies (POST …/activities/:id) and updates (PUT). */
  activityId?: string;
  /** The id the fake gave back (POST) or kept (PUT). */
  id: string;
  /** Milliseconds since the fake started, to check pacing. */
  at: number;
  /** The Authorization header the bot sent (a bearer token when the bot has an app id). */
  authorization?: string;
}

export interface FakeConnector {
  /** The serviceUrl to put on inbound activities, e.g. http://127.0.0.1:41234/ */
  url: string;
  /** Activities accepted (2xx), in arrival order. Failed attempts are not here. */
  activities: RecordedActivity[];
  /** Every request that reached an activity route, failed or not. */
  attempts: Array<{ method: string; path: string; status: number; at: number; authorization?: string }>;
  /** Conversations created with POST /v3/conversations. */
  createdConversations: any[]; // eslint-disable-line @typescript-eslint/no-explicit-any -- the raw parameters
  /** Files uploaded to an upload URL handed out by `uploadUrl()` (file consent flow). */
  uploads: Array<{ name: string; body: string; headers: http.IncomingHttpHeaders }>;
  /** Roster entries returned by GET /v3/conversations/:id/members/:memberId (TeamsInfo.getMember). */
  members: Map<string, { id: string; name?: string; email?: string; userPrincipalName?: string; aadObjectId?: string }>;
  /** An upload URL on this fake, as Teams gives in a file consent accept. */
  uploadUrl(name: string): string;
  /** The next `times` (default 1) activity requests answer `status` with these headers. */
  failNext(status: number, times?: number, headers?: Record<string, string>): void;
  /** Resolves when `predicate` holds for the recorded activities (polls; rejects after timeoutMs). */
  waitFor(predicate: (activities: RecordedActivity[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeConnector(): Promise<FakeConnector> {
  const started = Date.now();
  const activities: RecordedActivity[] = [];
  const attempts: FakeConnector['attempts'] = [];
  const createdConversations: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any -- raw
  const uploads: FakeConnector['uploads'] = [];
  const failures: Array<{ status: number; headers: Record<string, string> }> = [];
  const members: FakeConnector['members'] = new Map();
  let nextId = 1;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const path = url.pathname;
      const method = req.method ?? 'GET';
      const authorization = req.headers.authorization;
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(body === undefined ? '' : JSON.stringify(body));
      };

      const upload = /^\/upload\/([^/]+)$/.exec(path);
      if (upload && method === 'PUT') {
        uploads.push({ name: decodeURIComponent(upload[1]!), body: raw, headers: req.headers });
        return send(201, { id: `file-${nextId++}`, name: decodeURIComponent(upload[1]!) });
      }

      const member = /^\/v3\/conversations\/[^/]+\/members\/([^/]+)$/.exec(path);
      if (member && method === 'GET') {
        const entry = members.get(decodeURIComponent(member[1]!));
        return entry ? send(200, entry) : send(404, { error: { code: 'MemberNotFound', message: 'no such member' } });
      }

      const isActivityRoute = /^\/v3\/conversations(\/[^/]+\/activities(\/[^/]+)?)?\/?$/.test(path);
      if (!isActivityRoute) return send(404, { error: { code: 'NotFound', message: `no route ${method} ${path}` } });
      const failure = failures.shift();
      attempts.push({ method, path, status: failure?.status ?? 200, at: Date.now() - started, authorization });
      if (failure) return send(failure.status, { error: { code: `Status${failure.status}`, message: 'failure requested by the test' } }, failure.headers);

      let body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON from the bot
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        return send(400, { error: { code: 'BadSyntax', message: 'malformed JSON' } });
      }

      if (path.replace(/\/$/, '') === '/v3/conversations' && method === 'POST') {
        createdConversations.push(body);
        const id = `a:created-${nextId++}`;
        if (body.activity) {
          const activityId = String(nextId++);
          activities.push({ conversationId: id, activity: body.activity, method: 'POST', id: activityId, at: Date.now() - started, authorization });
          return send(200, { id, activityId });
        }
        return send(200, { id });
      }
      const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/.exec(path);
      if (!match) return send(404, { error: { code: 'NotFound', message: path } });
      const conversationId = decodeURIComponent(match[1]!);
      const activityId = match[2] ? decodeURIComponent(match[2]) : undefined;
      if (method === 'POST') {
        const id = String(nextId++);
        activities.push({ conversationId, activity: body, method: 'POST', activityId, id, at: Date.now() - started, authorization });
        return send(200, { id });
      }
      if (method === 'PUT' && activityId) {
        activities.push({ conversationId, activity: body, method: 'PUT', activityId, id: activityId, at: Date.now() - started, authorization });
        return send(200, { id: activityId });
      }
      return send(405, { error: { code: 'MethodNotAllowed', message: method } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}/`;

  return {
    url: base,
    activities,
    attempts,
    createdConversations,
    uploads,
    members,
    uploadUrl: (name) => `${base}upload/${encodeURIComponent(name)}`,
    failNext(status, times = 1, headers = {}) {
      for (let i = 0; i < times; i++) failures.push({ status, headers });
    },
    async waitFor(predicate, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(activities)) {
        if (Date.now() > deadline) throw new Error(`fake connector: condition not met within ${timeoutMs} ms (${activities.length} activities)`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
