/**
 * Starts the real Tsumiki (startTsumiki: HTTP server, Teams local mode, Slack when configured)
 * on port 0 with a temp database and data folder, capturing every log line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { startTsumiki, type RunningTsumiki } from '../../../src/app';
import { loadConfig } from '../../../src/config/config';
import { createLogger } from '../../../src/observability/logger';
import { tempDir } from '../../helpers/test-core';
import { startFakeConnector, type FakeConnector } from './fake-connector';

export interface RunningApp {
  app: RunningTsumiki;
  url: string;
  connector: FakeConnector;
  /** Every log line written so far, raw. */
  logs: string[];
  dir: string;
  close(): Promise<void>;
}

/** A small document set, optionally with extra files (e.g. a document carrying planted instructions). */
export function writeDataDir(dir: string, extra: Record<string, string> = {}): string {
  const data = path.join(dir, 'data');
  fs.mkdirSync(data, { recursive: true });
  fs.writeFileSync(
    path.join(data, 'trn-aws.md'),
    [
      '---',
      'id: trn-aws',
      'kind: training',
      'title: Cloud basics (AWS)',
      'lang: en',
      'url: https://intra.example.com/training/trn-aws',
      'skills: [AWS, cloud]',
      '---',
      'A two-day course on AWS fundamentals: compute, storage, networking and security.',
    ].join('\n'),
  );
  for (const [name, body] of Object.entries(extra)) fs.writeFileSync(path.join(data, name), body);
  return data;
}

export async function startApp(env: Record<string, string> = {}, options: { level?: string; extraDocs?: Record<string, string> } = {}): Promise<RunningApp> {
  const dir = tempDir('tsumiki-robust-');
  const data = writeDataDir(dir, options.extraDocs);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    TSUMIKI_DB: path.join(dir, 'tsumiki.db'),
    TSUMIKI_DATA_DIR: data,
    TSUMIKI_PLAYGROUND: 'off',
    TSUMIKI_SCHEDULER: 'off',
    ...env,
  });
  const logger = createLogger(options.level ?? 'info', sink);
  const connector = await startFakeConnector();
  let app: RunningTsumiki;
  try {
    app = await startTsumiki(config, logger, { defaultMetrics: false });
  } catch (error) {
    await connector.close();
    throw error;
  }
  return {
    app,
    url: app.http.url,
    connector,
    logs,
    dir,
    close: async () => {
      await app.stop();
      await connector.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

let activityCounter = 0;

/** A Teams personal-chat message activity addressed to the bot. */
export function teamsActivity(connectorUrl: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  activityCounter += 1;
  return {
    type: 'message',
    id: `act-${activityCounter}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: connectorUrl,
    from: { id: '29:user-1', aadObjectId: '00000000-0000-4000-8000-000000000001', name: 'Test Person' },
    conversation: { id: 'a:personal-1', conversationType: 'personal', tenantId: 'tenant-1' },
    recipient: { id: '28:tsumiki', name: 'Tsumiki' },
    locale: 'en-US',
    text: 'help',
    ...fields,
  };
}

/** POSTs a JSON (or raw) body; returns the status and body text. */
export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: raw });
  return { status: response.status, text: await response.text() };
}

/** Text of every message the bot sent through the connector, joined. */
export function sentText(connector: FakeConnector, from = 0): string {
  return connector.sent
    .slice(from)
    .map((s) => JSON.stringify(s.body ?? ''))
    .join('\n');
}
