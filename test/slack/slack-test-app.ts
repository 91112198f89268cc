/**
 * Starts the real Tsumiki (startTsumiki) with Slack over HTTP against the fake Slack Web API,
 * and sends it requests signed like Slack's: HMAC-SHA256 over `v0:${ts}:${rawBody}`.
 */
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { startTsumiki, type RunningTsumiki } from '../../src/app';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/fake-slack-api';
import { ORG_HEADER, tempDir, testConfig } from '../helpers/test-core';
import { importOrg } from '../../src/people/org-import';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';

export interface SlackTestApp {
  fake: FakeSlackApi;
  tsumiki: RunningTsumiki;
  /** http://127.0.0.1:PORT/slack/events */
  eventsUrl: string;
  importOrg(rows: string): void;
  /** POSTs a signed Slack request; `body` is the raw body exactly as Slack would send it. */
  post(body: string, contentType: string, options?: SignOptions): Promise<{ status: number; text: string; ms: number }>;
  event(event: Record<string, unknown>, options?: { eventId?: string; retryNum?: number }): Promise<{ status: number; text: string }>;
  command(text: string, fields?: Record<string, string>): Promise<{ status: number; text: string; responseUrl: string; ms: number }>;
  action(payload: Record<string, unknown>): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

export interface SignOptions {
  secret?: string;
  timestamp?: number;
  omitHeaders?: boolean;
  headers?: Record<string, string>;
}

export function signature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

let eventCounter = 0;

export async function startSlackTestApp(env: Record<string, string> = {}): Promise<SlackTestApp> {
  const fake = await startFakeSlackApi();
  const dir = tempDir('tsumiki-slack-');
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir);
  const config = testConfig(
    {
      SLACK_BOT_TOKEN: 'xoxb-fake-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.url,
      PORT: '0',
      HOST: '127.0.0.1',
      TSUMIKI_DATA_DIR: dataDir,
      TSUMIKI_DEFAULT_LOCALE: 'en',
      ...env,
    },
    dir,
  );
  let tsumiki: RunningTsumiki;
  try {
    tsumiki = await startTsumiki(config, pino({ level: 'silent' }), { defaultMetrics: false });
  } catch (error) {
    await fake.close();
    throw error;
  }
  const eventsUrl = `${tsumiki.http.url}/slack/events`;

  const post: SlackTestApp['post'] = async (body, contentType, options = {}) => {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = { 'content-type': contentType, ...(options.headers ?? {}) };
    if (!options.omitHeaders) {
      headers['x-slack-request-timestamp'] = String(timestamp);
      headers['x-slack-signature'] = signature(options.secret ?? SIGNING_SECRET, timestamp, body);
    }
    const started = performance.now();
    const response = await fetch(eventsUrl, { method: 'POST', headers, body });
    const text = await response.text();
    return { status: response.status, text, ms: performance.now() - started };
  };

  return {
    fake,
    tsumiki,
    eventsUrl,
    importOrg(rows) {
      const result = importOrg(tsumiki.core.db, tsumiki.core.people, `${ORG_HEADER}\n${rows.trim()}\n`);
      if (result.problems.length) throw new Error(JSON.stringify(result.problems));
    },
    post,
    event(event, options = {}) {
      const body = JSON.stringify({
        token: 'legacy',
        team_id: 'T0001',
        api_app_id: 'A0001',
        type: 'event_callback',
        event_id: options.eventId ?? `Ev${Date.now()}${++eventCounter}`,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ team_id: 'T0001', user_id: 'UBOT', is_bot: true }],
        event,
      });
      const headers: Record<string, string> = options.retryNum ? { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': 'http_timeout' } : {};
      return post(body, 'application/json', { headers });
    },
    async command(text, fields = {}) {
      const responseUrl = fake.responseUrl();
      const form = new URLSearchParams({
        token: 'legacy',
        team_id: 'T0001',
        team_domain: 'hoshizora',
        channel_id: 'D0USER1',
        channel_name: 'directmessage',
        user_id: 'U0USER1',
        user_name: 'user1',
        command: '/career',
        text,
        api_app_id: 'A0001',
        response_url: responseUrl,
        trigger_id: '1337.42.abcd',
        ...fields,
      }).toString();
      const result = await post(form, 'application/x-www-form-urlencoded');
      return { ...result, responseUrl };
    },
    action(payload) {
      const form = new URLSearchParams({ payload: JSON.stringify({ team: { id: 'T0001', domain: 'hoshizora' }, api_app_id: 'A0001', token: 'legacy', ...payload }) }).toString();
      return post(form, 'application/x-www-form-urlencoded');
    },
    async close() {
      await tsumiki.stop();
      await fake.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every text a list of Block Kit blocks shows (sections, headers, context, buttons), joined. */
export function blocksText(blocks: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.text === 'string') out.push(o.text);
      for (const [k, v] of Object.entries(o)) if (k !== 'text' || typeof v !== 'string') walk(v);
    }
  };
  walk(blocks);
  return out.join('\n');
}

/** Waits until `check` returns true (polling), or fails with `what`. */
export async function eventually(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
