/**
 * The Slack sender's crash check against the fake Slack Web API: every proactive message carries
 * the outbox key in Slack message metadata, and wasDelivered finds it in the DM's history
 * (conversations.history with include_all_metadata) — true, false, or undefined when Slack
 * cannot be asked (429, outage, nobody listening).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LogLevel, WebClient } from '@slack/web-api';
import pino from 'pino';
import { OUTBOX_EVENT_TYPE, SlackProactiveSender } from '../../src/channels/slack/slack-sender';
import type { ProactiveTarget, Reply } from '../../src/core/types';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/fake-slack-api';
import { makeTestCore, type TestCore } from '../helpers/test-core';

const prompt: Reply = { kind: 'reflection', locale: 'en', title: 'Weekly reflection', text: 'What did you take on this week?' };
const KEY = 'reflection:1:2026-W47';

let fake: FakeSlackApi;
let core: TestCore;

const clientFor = (url: string) => new WebClient('xoxb-fake-token', { slackApiUrl: url, rejectRateLimitedCalls: true, timeout: 2000, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR });
const senderFor = (url: string) => new SlackProactiveSender(core, clientFor(url), pino({ level: 'silent' }), { perChannelIntervalMs: 0, globalIntervalMs: 0, historyIntervalMs: 0 });

function target(externalId: string): ProactiveTarget {
  const identity = core.people.identity('slack', externalId)!;
  return { personId: identity.personId, externalId, dmChannelId: identity.dmChannelId, conversationRef: null };
}

beforeEach(async () => {
  fake = await startFakeSlackApi();
  core = makeTestCore({ SLACK_BOT_TOKEN: 'xoxb-fake-token', SLACK_SIGNING_SECRET: 'secret-0123456789', SLACK_API_URL: fake.url });
  core.importOrg(['E1,Ann,ann@example.com,,U0ANN,,Asia/Tokyo,en', 'E2,Ben,ben@example.com,,U0BEN,,Asia/Tokyo,en'].join('\n'));
});

afterEach(async () => {
  await core.close();
  await fake.close();
});

test('a proactive message carries its outbox key as Slack message metadata', async () => {
  const sender = senderFor(fake.url);
  expect((await sender.send(target('U0ANN'), [prompt], { idempotencyKey: KEY })).ok).toBe(true);
  const post = fake.callsTo('chat.postMessage').at(-1)!;
  expect(post.body.metadata).toEqual({ event_type: OUTBOX_EVENT_TYPE, event_payload: { key: KEY } });
  expect(fake.messages('D0ANN')).toEqual([expect.objectContaining({ metadata: { event_type: 'tsumiki_outbox', event_payload: { key: KEY } } })]);
  // Without a key (nothing to verify later) no metadata is sent.
  await sender.send(target('U0ANN'), [prompt]);
  expect(fake.callsTo('chat.postMessage').at(-1)!.body.metadata).toBeUndefined();
});

test('delivered: the key is found in the DM history, read with metadata from shortly before the send', async () => {
  const sender = senderFor(fake.url);
  const sentAfter = new Date();
  await sender.send(target('U0ANN'), [prompt], { idempotencyKey: KEY });
  await expect(sender.wasDelivered(target('U0ANN'), KEY, sentAfter)).resolves.toBe(true);
  const history = fake.callsTo('conversations.history').at(-1)!.body;
  expect(history).toMatchObject({ channel: 'D0ANN', include_all_metadata: 'true' });
  expect(Number(history.oldest)).toBeCloseTo(sentAfter.getTime() / 1000 - 600, 0);
});

test('delivered long ago in a busy DM: found on a later page of the history', async () => {
  const sender = senderFor(fake.url);
  await sender.send(target('U0ANN'), [prompt], { idempotencyKey: KEY });
  const client = clientFor(fake.url);
  for (let i = 0; i < 150; i++) await client.chat.postMessage({ channel: 'D0ANN', text: `answer ${i}` });
  await expect(sender.wasDelivered(target('U0ANN'), KEY)).resolves.toBe(true);
  expect(fake.callsTo('conversations.history')).toHaveLength(2);
});

test('not delivered: another week’s key, or no DM opened yet, is false', async () => {
  const sender = senderFor(fake.url);
  await sender.send(target('U0ANN'), [prompt], { idempotencyKey: 'reflection:1:2026-W46' });
  await expect(sender.wasDelivered(target('U0ANN'), KEY, new Date())).resolves.toBe(false);
  // Ben's DM was never opened, so nothing can have reached him; Slack need not be asked.
  const asked = fake.callsTo('conversations.history').length;
  await expect(sender.wasDelivered(target('U0BEN'), KEY)).resolves.toBe(false);
  expect(fake.callsTo('conversations.history')).toHaveLength(asked);
});

test('the same key in a message the person wrote (no bot) does not count', async () => {
  const sender = senderFor(fake.url);
  await sender.send(target('U0ANN'), [prompt]);
  fake.respondTo('conversations.history', () => ({
    ok: true,
    has_more: false,
    messages: [{ type: 'message', user: 'U0ANN', ts: '1.000001', text: 'hi', metadata: { event_type: OUTBOX_EVENT_TYPE, event_payload: { key: KEY } } }],
  }));
  await expect(sender.wasDelivered(target('U0ANN'), KEY)).resolves.toBe(false);
});

test('Slack cannot be asked: 429, a server error, or nobody listening is undefined, never a guess', async () => {
  const sender = senderFor(fake.url);
  await sender.send(target('U0ANN'), [prompt], { idempotencyKey: KEY });

  fake.respondTo('conversations.history', () => ({ status: 503, body: { ok: false, error: 'service_unavailable' } }));
  await expect(sender.wasDelivered(target('U0ANN'), KEY)).resolves.toBeUndefined();

  fake.respondTo('conversations.history', () => ({ ok: false, error: 'missing_scope', needed: 'im:history' }));
  await expect(sender.wasDelivered(target('U0ANN'), KEY)).resolves.toBeUndefined();

  fake.respondTo('conversations.history', () => ({ status: 429, headers: { 'retry-after': '30' }, body: { ok: false, error: 'ratelimited' } }));
  await expect(sender.wasDelivered(target('U0ANN'), KEY)).resolves.toBeUndefined();
  // Paused for Retry-After: the next check does not hit Slack at all.
  const asked = fake.callsTo('conversations.history').length;
  fake.respondTo('conversations.history');
  await expect(sender.wasDelivered(target('U0ANN'), KEY)).resolves.toBeUndefined();
  expect(fake.callsTo('conversations.history')).toHaveLength(asked);

  // A port on loopback where nothing listens.
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  await expect(senderFor(`http://127.0.0.1:${port}/api/`).wasDelivered(target('U0ANN'), KEY)).resolves.toBeUndefined();
});

test('a history too long to read within the bound is undefined, not false', async () => {
  const sender = senderFor(fake.url);
  await sender.send(target('U0ANN'), [prompt], { idempotencyKey: 'reflection:1:2026-W46' });
  fake.respondTo('conversations.history', (b) => ({
    ok: true,
    has_more: true,
    messages: [{ type: 'message', user: 'U0ANN', ts: '1.000001', text: 'chatter' }],
    response_metadata: { next_cursor: `page-${String(b.cursor ?? '0')}x` },
  }));
  await expect(sender.wasDelivered(target('U0ANN'), KEY)).resolves.toBeUndefined();
  expect(fake.callsTo('conversations.history')).toHaveLength(5);
});
