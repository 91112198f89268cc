/**
 * Helpers for Teams channel tests: the real app on 127.0.0.1 (local mode, no authentication)
 * and activities whose serviceUrl points at the fake Bot Framework connector.
 */
import pino from 'pino';
import { startTsumiki, type RunningTsumiki } from '../../src/app';
import { startFakeConnector, type FakeConnector } from '../fakes/fake-bot-connector';
import { tempDir, testConfig } from '../helpers/test-core';

export interface TeamsHarness {
  app: RunningTsumiki;
  connector: FakeConnector;
  /** POSTs an activity to /api/messages; resolves with the HTTP status and JSON body (if any). */
  post(activity: Record<string, unknown>, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startTeamsHarness(env: Record<string, string> = {}): Promise<TeamsHarness> {
  const connector = await startFakeConnector();
  // An empty documents folder keeps start-up fast; tests register their own consultation.
  const app = await startTsumiki(testConfig({ PORT: '0', TSUMIKI_DATA_DIR: tempDir('tsumiki-teams-data-'), ...env }), pino({ level: 'silent' }), {
    defaultMetrics: false,
  });
  return {
    app,
    connector,
    async post(activity, headers = {}) {
      const response = await fetch(`${app.http.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(activity),
      });
      const text = await response.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      return { status: response.status, body };
    },
    async stop() {
      await app.stop();
      await connector.close();
    },
  };
}

let counter = 0;

export interface ActivityOptions {
  text?: string;
  value?: unknown;
  conversationType?: 'personal' | 'channel' | 'groupChat';
  conversationId?: string;
  userId?: string;
  aadObjectId?: string;
  name?: string;
  replyToId?: string;
  locale?: string;
  type?: string;
  extra?: Record<string, unknown>;
}

/** A Teams activity as the Bot Framework service would post it. */
export function teamsActivity(connector: FakeConnector, options: ActivityOptions = {}): Record<string, unknown> {
  counter += 1;
  const conversationType = options.conversationType ?? 'personal';
  return {
    type: options.type ?? 'message',
    id: `incoming-${counter}`,
    timestamp: new Date().toISOString(),
    serviceUrl: connector.url,
    channelId: 'msteams',
    from: { id: options.userId ?? '29:user-1', aadObjectId: options.aadObjectId ?? 'aad-user-1', name: options.name ?? 'Sato Hanako' },
    recipient: { id: '28:tsumiki-bot', name: 'Tsumiki' },
    conversation: {
      id: options.conversationId ?? (conversationType === 'personal' ? 'a:personal-1' : '19:channel-1@thread.tacv2;messageid=111'),
      conversationType,
      tenantId: 'tenant-1',
      isGroup: conversationType !== 'personal',
    },
    locale: options.locale ?? 'ja-JP',
    text: options.text,
    value: options.value,
    replyToId: options.replyToId,
    channelData: { tenant: { id: 'tenant-1' } },
    ...options.extra,
  };
}

/** The Adaptive Card of a recorded activity, if any. */
export function cardOf(activity: any): any {
  return activity?.attachments?.find((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}

/** All TextBlock texts of a card, in order. */
export function cardTexts(card: any): string[] {
  const out: string[] = [];
  const walk = (items: any[] = []) => {
    for (const item of items) {
      if (item.type === 'TextBlock') out.push(item.text);
      if (item.items) walk(item.items);
    }
  };
  walk(card?.body);
  return out;
}
