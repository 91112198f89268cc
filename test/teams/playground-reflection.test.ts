/**
 * End to end through the Microsoft 365 Agents Playground (a real Teams-like client speaking the
 * Bot Framework protocol to /api/messages): a reflection prompt card is shown, answered with its
 * submit button, and the answer is stored in the person's journal.
 */
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { startTsumiki, type RunningTsumiki } from '../../src/app';
import { startPlayground, type RunningPlayground } from '../../src/channels/local/playground';
import { PlaygroundClient, type PlaygroundMessage } from '../helpers/playground-client';
import { tempDir, testConfig } from '../helpers/test-core';

jest.setTimeout(120_000);

const CARD = 'application/vnd.microsoft.card.adaptive';
const cardOf = (m: PlaygroundMessage): any => m.attachments?.find((a) => a.contentType === CARD)?.content;

let app: RunningTsumiki;
let playground: RunningPlayground;
let client: PlaygroundClient;
const dir = tempDir('tsumiki-pg-');

beforeAll(async () => {
  fs.mkdirSync(path.join(dir, 'data'));
  app = await startTsumiki(testConfig({ PORT: '0', TSUMIKI_DATA_DIR: path.join(dir, 'data') }, dir), pino({ level: 'silent' }), { defaultMetrics: false });
  playground = await startPlayground({ botEndpoint: `${app.http.url}/api/messages`, port: 0, logFile: path.join(dir, 'playground.log') }, pino({ level: 'silent' }));
  client = await PlaygroundClient.connect(playground.url);
});

afterAll(async () => {
  client?.close();
  await playground?.stop();
  await app?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** What the playground's page does when the person presses an Action.Submit button. */
async function submit(card: PlaygroundMessage, data: Record<string, unknown>): Promise<void> {
  const { personalChat, currentUser } = client.config.config;
  const response = await fetch(`${playground.url}/_conversation/v1/submit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ conversation: { id: personalChat.id }, from: { id: currentUser.id }, replyToId: card.messageId, value: data }),
  });
  if (!response.ok) throw new Error(`playground submit: HTTP ${response.status} ${await response.text()}`);
}

it('shows a reflection prompt card, takes the answer from its submit button, and stores it', async () => {
  await client.say('reflect');
  const prompt = await client.waitFor((m) => cardOf(m)?.body?.some((b: any) => b.type === 'Input.Text'));
  const card = cardOf(prompt);
  expect(card.version).toBe('1.5');
  const input = card.body.find((b: any) => b.type === 'Input.Text');
  const submitAction = card.actions.find((a: any) => a.type === 'Action.Submit' && a.style === 'positive');
  expect(submitAction.data.action).toBe('reflect.answer');

  const experience = 'I presented our migration plan to the customer for the first time.';
  const before = client.messages.length;
  await submit(prompt, { ...submitAction.data, [input.id]: experience });

  // The next step of the dialogue arrives, and the answer is in the person's journal.
  const next = await client.waitFor((m) => client.messages.indexOf(m) >= before && !!cardOf(m));
  expect(cardOf(next).body.some((b: any) => b.type === 'Input.Text')).toBe(true);
  const identity = app.core.people.identity('teams', client.config.config.currentUser.aadObjectId);
  expect(identity).toBeDefined();
  const rows = app.core.db.prepare('SELECT experience FROM journal_entries WHERE person_id = ?').all(identity!.personId);
  expect(rows).toEqual([{ experience }]);
});
