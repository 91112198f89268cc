/**
 * The proactive sender: its own client and queue, DM opened with conversations.open and stored,
 * permanent vs temporary failures, Retry-After, and interactive replies unaffected by a broadcast 429.
 */
import type { ProactiveSender, Reply } from '../../src/core/types';
import { blocksText, startSlackTestApp, type SlackTestApp } from './slack-test-app';

describe('Slack proactive sender', () => {
  let slack: SlackTestApp;
  let sender: ProactiveSender;
  const prompt: Reply = { kind: 'reflection', locale: 'en', title: 'Weekly reflection', text: 'What happened this week?', actions: [{ id: 'reflect.start', label: 'Start', style: 'primary' }] };

  beforeAll(async () => {
    slack = await startSlackTestApp();
    slack.importOrg(
      ['E1,Ann,ann@example.com,,U0ANN,,Asia/Tokyo,en', 'E2,Ben,ben@example.com,,U0BEN,,Asia/Tokyo,en', 'E3,Cai,cai@example.com,,U0CAI,,Asia/Tokyo,en'].join('\n'),
    );
    sender = slack.tsumiki.core.senders.get('slack')!;
  });
  afterAll(async () => {
    await slack.close();
  });

  const target = (employeeId: string, externalId: string) => {
    const person = slack.tsumiki.core.people.byEmployeeId(employeeId)!;
    const identity = slack.tsumiki.core.people.identity('slack', externalId)!;
    return { personId: person.id, externalId, dmChannelId: identity.dmChannelId, conversationRef: null };
  };

  it('is registered for the slack channel', () => {
    expect(sender.channel).toBe('slack');
  });

  it('opens the DM, stores its id and posts the rendered reply', async () => {
    const result = await sender.send(target('E1', 'U0ANN'), [prompt]);
    expect(result).toEqual({ ok: true, messageRef: expect.stringMatching(/^D0ANN:/) });
    expect(slack.fake.callsTo('conversations.open').at(-1)!.body.users).toBe('U0ANN');
    const post = slack.fake.callsTo('chat.postMessage').at(-1)!;
    expect(post.body.channel).toBe('D0ANN');
    expect(blocksText(post.body.blocks)).toContain('What happened this week?');
    expect(JSON.stringify(post.body.blocks)).toContain('reflect.start');
    expect(slack.tsumiki.core.people.identity('slack', 'U0ANN')!.dmChannelId).toBe('D0ANN');
    // Second time: the stored DM id is used, no new conversations.open.
    const opens = slack.fake.callsTo('conversations.open').length;
    expect((await sender.send(target('E1', 'U0ANN'), [prompt])).ok).toBe(true);
    expect(slack.fake.callsTo('conversations.open')).toHaveLength(opens);
  });

  it('reports account_inactive as permanent and marks the identity unreachable', async () => {
    slack.fake.respondTo('conversations.open', (b) => (b.users === 'U0BEN' ? { ok: false, error: 'account_inactive' } : { ok: true, channel: { id: 'D0X' } }));
    const result = await sender.send(target('E2', 'U0BEN'), [prompt]);
    expect(result).toEqual({ ok: false, permanent: true, reason: 'account_inactive' });
    expect(slack.tsumiki.core.people.identity('slack', 'U0BEN')).toMatchObject({ reachable: false, unreachableReason: 'account_inactive' });
    slack.fake.respondTo('conversations.open');
  });

  it('reports a 429 as temporary with retryAfterMs, while interactive replies still go out at once', async () => {
    slack.fake.respondTo('chat.postMessage', (b) =>
      b.channel === 'D0CAI' ? { status: 429, headers: { 'retry-after': '30' }, body: { ok: false, error: 'ratelimited' } } : { ok: true, channel: b.channel, ts: '1700009000.000100' },
    );
    const result = await sender.send(target('E3', 'U0CAI'), [prompt]);
    expect(result).toEqual({ ok: false, permanent: false, reason: 'rate_limited', retryAfterMs: 30_000 });
    // The broadcast queue is paused for 30 s; the next broadcast is refused at once, not stalled.
    const started = Date.now();
    const next = await sender.send(target('E1', 'U0ANN'), [prompt]);
    expect(next).toMatchObject({ ok: false, permanent: false, reason: 'rate_limited' });
    expect(Date.now() - started).toBeLessThan(1000);
    // Meanwhile a person writing to the bot is answered without waiting for the pause.
    slack.fake.addUser({ id: 'U0LIVE', name: 'Live' });
    const res = await slack.command('help', { user_id: 'U0LIVE', channel_id: 'D0LIVE' });
    expect(res.status).toBe(200);
    await slack.fake.waitForResponseUrlPost((p) => p.id === res.responseUrl.split('/').pop() && blocksText(p.body.blocks).includes('What Tsumiki can do'), 2000);
    slack.fake.respondTo('chat.postMessage');
  });
});
