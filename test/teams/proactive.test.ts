/**
 * Proactive messages on Teams: delivery through continueConversationAsync to the stored
 * reference, permanent failures (403/404) marking the person unreachable, transient ones
 * (429/412/502/504) retried, and Teams' per-conversation pace of 7 messages a second.
 */
import type { Reply } from '../../src/core/types';
import { startTeamsHarness, teamsActivity, type TeamsHarness } from './teams-helpers';

let h: TeamsHarness;
beforeEach(async () => {
  h = await startTeamsHarness();
});
afterEach(async () => {
  await h.stop();
});

const prompt: Reply = {
  kind: 'reflection',
  locale: 'ja',
  title: '今週のふりかえり',
  text: '今週いちばん印象に残った経験は何でしたか?',
  inputs: [{ id: 'experience', label: '経験', multiline: true }],
  actions: [{ id: 'reflect.submit', label: '送信', style: 'primary' }],
};

/** Installs the app for the person (stores the reference) and returns the sender's target. */
async function installedTarget() {
  await h.post(teamsActivity(h.connector, { type: 'installationUpdate', extra: { action: 'add' } }));
  const identity = h.app.core.people.identity('teams', 'aad-user-1')!;
  h.connector.activities.length = 0;
  return { personId: identity.personId, externalId: identity.externalId, dmChannelId: null, conversationRef: identity.conversationRef };
}

const sender = () => h.app.core.senders.get('teams')!;

it('is registered for the teams channel and delivers a card into the person’s 1:1 chat', async () => {
  const target = await installedTarget();
  const result = await sender().send(target, [prompt]);
  expect(result).toEqual({ ok: true, messageRef: expect.any(String) });
  expect(h.connector.activities).toHaveLength(1);
  const sent = h.connector.activities[0]!;
  expect(sent.conversationId).toBe('a:personal-1');
  const card = sent.activity.attachments[0].content;
  expect(card.body.find((b: any) => b.type === 'Input.Text').id).toBe('experience');
});

it.each([403, 404])('marks the person unreachable and gives up for good on HTTP %i', async (status) => {
  const target = await installedTarget();
  h.connector.failNext(status);
  const result = await sender().send(target, [prompt]);
  expect(result).toMatchObject({ ok: false, permanent: true });
  expect(h.connector.attempts).toHaveLength(1); // not retried
  const identity = h.app.core.people.identity('teams', 'aad-user-1')!;
  expect(identity.reachable).toBe(false);
  expect(identity.unreachableReason).toBeTruthy();
});

it.each([429, 412, 502, 504])('retries HTTP %i with backoff and then delivers', async (status) => {
  const target = await installedTarget();
  h.connector.failNext(status, 2, status === 429 ? { 'Retry-After': '0' } : {});
  const result = await sender().send(target, [prompt]);
  expect(result.ok).toBe(true);
  expect(h.connector.attempts.map((a) => a.status)).toEqual([status, status, 200]);
  expect(h.connector.activities).toHaveLength(1);
  expect(h.app.core.people.identity('teams', 'aad-user-1')!.reachable).toBe(true);
});

it('gives up after a bounded number of attempts and reports a temporary failure', async () => {
  const target = await installedTarget();
  h.connector.failNext(502, 10);
  const result = await sender().send(target, [prompt]);
  expect(result).toMatchObject({ ok: false, permanent: false });
  expect(h.connector.attempts).toHaveLength(4);
  expect(h.app.core.people.identity('teams', 'aad-user-1')!.reachable).toBe(true);
}, 30_000);

it('says why when there is no conversation yet', async () => {
  const result = await sender().send({ personId: 1, externalId: 'nobody', dmChannelId: null, conversationRef: null }, [prompt]);
  expect(result).toMatchObject({ ok: false, permanent: true, reason: expect.stringMatching(/installed/) });
});

it('sends at most 7 messages a second into one conversation', async () => {
  const target = await installedTarget();
  const replies: Reply[] = Array.from({ length: 10 }, (_, i) => ({ kind: 'info', locale: 'ja', text: `メッセージ ${i + 1}` }));
  const result = await sender().send(target, replies);
  expect(result.ok).toBe(true);
  const times = h.connector.activities.map((a) => a.at);
  expect(times).toHaveLength(10);
  for (let i = 7; i < times.length; i++) expect(times[i]! - times[i - 7]!).toBeGreaterThanOrEqual(990);
  // …and 8 per 2 seconds.
  expect(times[8]! - times[0]!).toBeGreaterThanOrEqual(1990);
}, 20_000);
