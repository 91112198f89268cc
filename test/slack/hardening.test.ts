/**
 * Malformed but signed Slack requests through the real app: a 400 naming the field (never a
 * 500), nothing stored, no Web API call; requests no listener handles are acknowledged at once
 * instead of waiting out Bolt's 3-second timeout; a bad signature is still refused first.
 */
import { slackRequestProblems } from '../../src/channels/slack/request-guard';
import { eventually, startSlackTestApp, type SlackTestApp } from './slack-test-app';

let slack: SlackTestApp;
beforeAll(async () => {
  slack = await startSlackTestApp();
  slack.importOrg('E100,Hana Ito,hana@example.com,,U0HANA,,Asia/Tokyo,en');
  slack.fake.addUser({ id: 'U0HANA', name: 'Hana Ito', email: 'hana@example.com', tz: 'Asia/Tokyo' });
});
afterAll(async () => {
  await slack.close();
});

const count = (table: string) => (slack.tsumiki.core.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

/** Runs `send` and asserts that it stored no person or identity and called no Web API method. */
async function expectNothingHappened(send: () => Promise<{ status: number; text: string }>): Promise<{ status: number; body: any }> {
  const before = { people: count('people'), identities: count('identities'), calls: slack.fake.calls.length, posts: slack.fake.responseUrlPosts.length };
  const res = await send();
  await new Promise((r) => setTimeout(r, 150)); // work after an acknowledgement would have started by now
  expect({ people: count('people'), identities: count('identities'), calls: slack.fake.calls.length, posts: slack.fake.responseUrlPosts.length }).toEqual(before);
  return { status: res.status, body: res.text ? JSON.parse(res.text) : undefined };
}

describe('malformed signed requests', () => {
  it('a slash command without user_id: 400 naming the field', async () => {
    const res = await expectNothingHappened(() => slack.command('help', { user_id: '' }));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('malformed request');
    expect(res.body.problems.join()).toMatch(/^user_id: /);
  });

  it('a slash command whose response_url is not a URL: 400', async () => {
    const res = await expectNothingHappened(() => slack.command('help', { response_url: 'not a url' }));
    expect(res.status).toBe(400);
    expect(res.body.problems.join()).toMatch(/response_url/);
  });

  it('app_home_opened without a user: 400 before anything is published', async () => {
    const res = await expectNothingHappened(() => slack.event({ type: 'app_home_opened', channel: 'D0HANA', tab: 'home' }));
    expect(res.status).toBe(400);
    expect(res.body.problems.join()).toMatch(/^event\.user: /);
  });

  it('a DM whose user id is a number, and one whose channel is null: 400, not 500', async () => {
    for (const event of [
      { type: 'message', channel_type: 'im', user: 12345, channel: 'D0HANA', text: 'help', ts: '1700000000.000100' },
      { type: 'message', channel_type: 'im', user: 'U0HANA', channel: null, text: 'help', ts: '1700000000.000200' },
      { type: 'message', channel_type: 'im', user: 'U0HANA', channel: 'D0HANA', text: { rich: true }, ts: '1700000000.000300' },
    ]) {
      const res = await expectNothingHappened(() => slack.event(event));
      expect(res.status).toBe(400);
    }
  });

  it('an event that is not an object, and a payload that is no Slack request at all: 400', async () => {
    const notObject = await expectNothingHappened(() =>
      slack.post(JSON.stringify({ type: 'event_callback', team_id: 'T0001', event_id: 'EvX1', event: 'message' }), 'application/json'),
    );
    expect(notObject.status).toBe(400);
    const unknown = await expectNothingHappened(() => slack.action({ type: 'something_else' }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.problems.join()).toMatch(/not a Slack event/);
  });

  it('a button click without a user or with a null container: 400', async () => {
    const base = { type: 'block_actions', user: { id: 'U0HANA' }, container: { type: 'message', channel_id: 'D0HANA', message_ts: '1.1' }, actions: [{ type: 'button', action_id: 'command', value: 'help' }] };
    for (const payload of [{ ...base, user: null }, { ...base, container: null }, { ...base, actions: [null] }]) {
      const res = await expectNothingHappened(() => slack.action(payload));
      expect(res.status).toBe(400);
    }
  });

  it('a bad signature is refused with 401 before the shape is looked at', async () => {
    const res = await slack.post(JSON.stringify({ type: 'event_callback', event: null }), 'application/json', { secret: 'another-secret' });
    expect(res.status).toBe(401);
    expect(res.text).not.toMatch(/malformed|event/);
  });
});

describe('requests no listener handles', () => {
  it('an element, a shortcut and a modal close Tsumiki does not handle are acknowledged at once, not after 3 s', async () => {
    const button = await slack.action({ type: 'block_actions', user: { id: 'U0HANA' }, container: { type: 'message', channel_id: 'D0HANA', message_ts: '1.1' }, actions: [{ type: 'overflow', action_id: 'not.ours' }] });
    expect(button.status).toBe(200);
    const shortcut = await slack.action({ type: 'shortcut', callback_id: 'not_ours', user: { id: 'U0HANA', team_id: 'T0001' }, trigger_id: '1.2.3' });
    expect(shortcut.status).toBe(200);
    const closed = await slack.action({ type: 'view_closed', user: { id: 'U0HANA' }, view: { id: 'V1', callback_id: 'tsumiki.inputs' } });
    expect(closed.status).toBe(200);
    const started = performance.now();
    await Promise.all([
      slack.action({ type: 'block_actions', user: { id: 'U0HANA' }, container: { type: 'message' }, actions: [{ type: 'static_select', action_id: 'not.ours.either' }] }),
      slack.post(JSON.stringify({ token: 'legacy', team_id: 'T0001', api_app_id: 'A0001', type: 'app_rate_limited', minute_rate_limited: 1700000000 }), 'application/json'),
    ]).then((results) => results.forEach((r) => expect(r.status).toBe(200)));
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('a modal submitted without our metadata is acknowledged and ignored', async () => {
    const res = await expectNothingHappened(() => slack.action({ type: 'view_submission', user: { id: 'U0HANA' }, view: { id: 'V9', callback_id: 'tsumiki.inputs', private_metadata: '{"x":1}' } }));
    expect(res.status).toBe(200);
  });
});

describe('after all that', () => {
  it('a correct command is still answered through its response_url', async () => {
    const { status, responseUrl } = await slack.command('help');
    expect(status).toBe(200);
    const id = responseUrl.split('/').pop();
    await slack.fake.waitForResponseUrlPost((p) => p.id === id);
  });

  it('a DM is still answered, and the person resolved once', async () => {
    await slack.event({ type: 'message', channel_type: 'im', user: 'U0HANA', channel: 'D0HANA', text: 'help', ts: '1700000100.000100' });
    await slack.fake.waitFor('chat.postMessage', (c) => c.body.channel === 'D0HANA');
    await eventually(() => slack.tsumiki.core.people.identity('slack', 'U0HANA') !== undefined, 'the identity');
  });
});

describe('slackRequestProblems (pure)', () => {
  it('accepts the payloads Slack documents and ignores fields it does not know', () => {
    expect(slackRequestProblems({ type: 'event_callback', team_id: 'T1', event: { type: 'reaction_added', user: 'U1', item: { type: 'message', channel: 'C1', ts: '1.1' }, future: [1] } })).toBeUndefined();
    expect(slackRequestProblems({ type: 'event_callback', event: { type: 'message', subtype: 'message_changed', channel: 'C1', ts: '1.2', message: { text: 'x' } } })).toBeUndefined();
    expect(slackRequestProblems({ command: '/career', text: '', user_id: 'W0ENTERPRISE', channel_id: 'C0GENERAL', response_url: 'https://hooks.slack.com/commands/T1/1/abc' })).toBeUndefined();
    expect(slackRequestProblems({ type: 'block_actions', team: null, user: { id: 'U1' }, container: { type: 'view' }, actions: [{ type: 'button', action_id: 'a' }], state: { values: { b: { c: { type: 'plain_text_input', value: null } } } } })).toBeUndefined();
  });

  it('names the field and never the value', () => {
    const problems = slackRequestProblems({ command: '/career', user_id: 'secret text here', channel_id: 'D1' })!;
    expect(problems).toEqual(['user_id: must be a Slack id']);
    expect(problems.join()).not.toContain('secret');
  });
});
