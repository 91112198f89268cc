/** HTTP mode fails closed: a request Slack did not sign with our secret is refused and never processed. */
import { signature, SIGNING_SECRET, startSlackTestApp, type SlackTestApp } from './slack-test-app';

describe('Slack request signature (HTTP mode)', () => {
  let slack: SlackTestApp;
  beforeAll(async () => {
    slack = await startSlackTestApp();
  });
  afterAll(async () => {
    await slack.close();
  });

  const dmEvent = JSON.stringify({
    type: 'event_callback',
    team_id: 'T0001',
    event_id: 'EvSig1',
    event: { type: 'message', channel_type: 'im', channel: 'D0SIG', user: 'U0SIG', text: 'help', ts: '1700000000.000100' },
  });

  function nothingProcessed(): void {
    // Only the start-up auth.test reached Slack; no person was created.
    expect(slack.fake.calls.map((c) => c.method)).toEqual(['auth.test']);
    expect(slack.tsumiki.core.people.identity('slack', 'U0SIG')).toBeUndefined();
  }

  it('answers the URL verification challenge when signed correctly', async () => {
    const res = await slack.post(JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 'x' }), 'application/json');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ challenge: 'c-123' });
  });

  it('refuses a request signed with another secret', async () => {
    const res = await slack.post(dmEvent, 'application/json', { secret: 'not-the-secret' });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    nothingProcessed();
  });

  it('refuses a stale timestamp (replay) even with a valid signature for it', async () => {
    const res = await slack.post(dmEvent, 'application/json', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    nothingProcessed();
  });

  it('refuses a request without the signature headers', async () => {
    const res = await slack.post(dmEvent, 'application/json', { omitHeaders: true });
    expect(res.status).toBe(401);
    nothingProcessed();
  });

  it('refuses a body altered after signing', async () => {
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(slack.eventsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature(SIGNING_SECRET, ts, dmEvent) },
      body: dmEvent.replace('help', 'forget'),
    });
    expect(res.status).toBe(401);
    nothingProcessed();
  });

  it('processes the same request when it is correctly signed', async () => {
    slack.fake.addUser({ id: 'U0SIG', name: 'Sig Nature', email: 'sig@example.com', tz: 'Europe/London' });
    const res = await slack.post(dmEvent, 'application/json');
    expect(res.status).toBe(200);
    const posted = await slack.fake.waitFor('chat.postMessage', (c) => c.body.channel === 'D0SIG');
    expect(posted.headers.authorization).toBe('Bearer xoxb-fake-token');
    expect(slack.tsumiki.core.people.identity('slack', 'U0SIG')).toBeDefined();
  });
});
