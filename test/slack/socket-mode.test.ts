/**
 * Slack over Socket Mode, end to end: the real Tsumiki (startTsumiki) with SLACK_APP_TOKEN asks
 * the fake Web API for a connection (apps.connections.open, honouring SLACK_API_URL), opens the
 * fake's WebSocket, and handles the envelopes the test pushes. Assertions are on what the fake
 * received: acknowledgements on the socket, Web API calls and response_url posts.
 */
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { startTsumiki, type RunningTsumiki } from '../../src/app';
import { coreMessages } from '../../src/core/messages';
import type { ConsultationHandler } from '../../src/core/router';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/fake-slack-api';
import { tempDir, testConfig } from '../helpers/test-core';
import { blocksText, eventually } from './slack-test-app';

const APP_TOKEN = 'xapp-1-A0001-fake-app-level-token';
let eventCounter = 0;

/** An `events_api` payload as Slack wraps an event (the same body HTTP mode receives). */
function eventCallback(event: Record<string, unknown>): Record<string, unknown> {
  return {
    token: 'legacy',
    team_id: 'T0001',
    api_app_id: 'A0001',
    type: 'event_callback',
    event_id: `EvSock${Date.now()}${++eventCounter}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T0001', user_id: 'UBOT', is_bot: true }],
    event,
  };
}

describe('Slack over Socket Mode', () => {
  let fake: FakeSlackApi;
  let tsumiki: RunningTsumiki;
  let dir: string;
  let stopped = false;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  const consulted: string[] = [];
  const consultation: ConsultationHandler = ({ args, locale }) => {
    consulted.push(args);
    return [{ kind: 'answer', locale, text: `Socket answer to: ${args}`, generated: false, sources: [] }];
  };

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    fake = await startFakeSlackApi();
    fake.addUser({ id: 'U0SOCK', name: 'Sora Kato', email: 'sora@example.com', tz: 'Asia/Tokyo', locale: 'en-US' });
    dir = tempDir('tsumiki-socket-');
    const dataDir = path.join(dir, 'data');
    fs.mkdirSync(dataDir);
    const config = testConfig(
      {
        SLACK_BOT_TOKEN: 'xoxb-fake-bot-token',
        SLACK_APP_TOKEN: APP_TOKEN,
        SLACK_API_URL: fake.url,
        PORT: '0',
        HOST: '127.0.0.1',
        TSUMIKI_PLAYGROUND: 'off',
        TSUMIKI_DATA_DIR: dataDir,
        TSUMIKI_DEFAULT_LOCALE: 'en',
      },
      dir,
    );
    tsumiki = await startTsumiki(config, pino({ level: 'silent' }), { defaultMetrics: false });
    tsumiki.core.router.setConsultation(consultation);
  });

  afterAll(async () => {
    if (!stopped) await tsumiki?.stop();
    await fake?.close();
    fs.rmSync(dir, { recursive: true, force: true });
    process.off('unhandledRejection', onUnhandled);
  });

  it('opens the connection through SLACK_API_URL with the app-level token and receives hello', async () => {
    const open = fake.callsTo('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]!.headers.authorization).toBe(`Bearer ${APP_TOKEN}`);
    await fake.socket.waitForConnection(1);
    expect(fake.socket.openConnections).toBe(1);
    // Socket Mode replaces the HTTP endpoint: nothing listens at /slack/events.
    const res = await fetch(`${tsumiki.http.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(404);
  });

  it('acknowledges a DM event envelope and answers it in the DM', async () => {
    const envelope = fake.socket.send({
      type: 'events_api',
      payload: eventCallback({ type: 'message', channel_type: 'im', channel: 'D0SOCK', user: 'U0SOCK', text: 'How do I become a tech lead?', ts: '1700010000.000100' }),
    });
    const ack = await fake.socket.waitForAck(envelope.envelope_id);
    expect(ack.ms).toBeLessThan(3000);
    const answered = (c: { method: string; body: Record<string, unknown> }) =>
      c.body.channel === 'D0SOCK' && blocksText(c.body.blocks).includes('Socket answer to: How do I become a tech lead?');
    await eventually(() => fake.calls.some((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && answered(c)), 'the answer in the DM');
    expect(consulted).toEqual(['How do I become a tech lead?']);
  });

  it('acknowledges a /career help envelope within 3 s and delivers the help privately', async () => {
    const responseUrl = fake.responseUrl();
    const envelope = fake.socket.send({
      type: 'slash_commands',
      payload: {
        token: 'legacy',
        team_id: 'T0001',
        team_domain: 'hoshizora',
        channel_id: 'D0SOCK',
        channel_name: 'directmessage',
        user_id: 'U0SOCK',
        user_name: 'sora',
        command: '/career',
        text: 'help',
        api_app_id: 'A0001',
        response_url: responseUrl,
        trigger_id: '1337.42.sock',
      },
    });
    const ack = await fake.socket.waitForAck(envelope.envelope_id, 3000);
    expect(ack.ms).toBeLessThan(3000);
    const post = await fake.waitForResponseUrlPost((p) => p.id === responseUrl.split('/').pop());
    expect(post.body.response_type).toBe('ephemeral');
    const text = blocksText(post.body.blocks);
    expect(text).toContain(coreMessages.en.helpTitle);
    for (const word of ['schedule', 'export', 'forget']) expect(text).toContain(word);
    expect(fake.callsTo('chat.postMessage').filter((c) => blocksText(c.body.blocks).includes(coreMessages.en.helpTitle))).toHaveLength(0);
  });

  it('acknowledges a block_actions envelope and runs the button’s command', async () => {
    const envelope = fake.socket.send({
      type: 'interactive',
      payload: {
        type: 'block_actions',
        team: { id: 'T0001', domain: 'hoshizora' },
        api_app_id: 'A0001',
        token: 'legacy',
        user: { id: 'U0SOCK', team_id: 'T0001' },
        channel: { id: 'D0SOCK' },
        trigger_id: '123.456.sock',
        container: { type: 'message', message_ts: '1700010100.000100', channel_id: 'D0SOCK', is_ephemeral: false },
        message: { ts: '1700010100.000100' },
        actions: [{ type: 'button', action_id: 'command#1', block_id: 'actions', value: 'help', action_ts: '1700010101.1' }],
      },
    });
    const ack = await fake.socket.waitForAck(envelope.envelope_id);
    expect(ack.ms).toBeLessThan(3000);
    await fake.waitFor('chat.postMessage', (c) => c.body.channel === 'D0SOCK' && blocksText(c.body.blocks).includes(coreMessages.en.helpTitle));
  });

  it('survives malformed messages: each envelope is acknowledged, nothing is rejected unhandled, and the next event is answered', async () => {
    const before = fake.socket.otherMessages.length;
    // An events_api envelope without payload.event: the client library itself would throw on it.
    const noEvent = fake.socket.send({ type: 'events_api', payload: { type: 'event_callback', team_id: 'T0001' } });
    // A payload that is not an object at all.
    const notObject = fake.socket.send({ type: 'events_api', payload: 'nonsense' });
    // A slash command without user_id and with a response_url that is not a URL.
    const badCommand = fake.socket.send({ type: 'slash_commands', payload: { command: '/career', text: 'help', channel_id: 'D0SOCK', response_url: 'not a url' } });
    // A block_actions payload with a user id that is a number.
    const badAction = fake.socket.send({ type: 'interactive', payload: { type: 'block_actions', user: { id: 42 }, container: {}, actions: [{ action_id: 'command#1', type: 'button', value: 'help' }] } });
    // A frame that is not JSON, and one of a type Slack does not send.
    fake.socket.sendRaw('{not json');
    fake.socket.sendRaw(JSON.stringify({ type: 'mystery', envelope_id: 'env-mystery' }));
    for (const envelope of [noEvent, notObject, badCommand, badAction]) await fake.socket.waitForAck(envelope.envelope_id);
    const later = fake.socket.send({
      type: 'events_api',
      payload: eventCallback({ type: 'message', channel_type: 'im', channel: 'D0SOCK', user: 'U0SOCK', text: 'still there?', ts: '1700010200.000100' }),
    });
    await fake.socket.waitForAck(later.envelope_id);
    await eventually(() => consulted.includes('still there?'), 'the next DM to be answered');
    await new Promise((r) => setTimeout(r, 100));
    expect(unhandled).toEqual([]);
    expect(fake.socket.openConnections).toBe(1);
    // The malformed ones produced no answer anywhere; the envelope of an unknown type was
    // acknowledged too (it was pushed raw, so its ack is not matched to a sent envelope).
    expect(consulted).not.toContain('help');
    expect(fake.socket.otherMessages.slice(before).map((m) => JSON.parse(m))).toEqual([{ envelope_id: 'env-mystery', payload: {} }]);
  });

  it('reconnects when Slack sends disconnect, through a fresh apps.connections.open', async () => {
    fake.socket.requestDisconnect('refresh_requested');
    // The client waits one ping timeout (5 s) before it reconnects.
    await fake.socket.waitForConnection(2, 15_000);
    expect(fake.callsTo('apps.connections.open')).toHaveLength(2);
    expect(fake.socket.closes.at(-1)?.code).toBe(1000);
    const envelope = fake.socket.send({
      type: 'events_api',
      payload: eventCallback({ type: 'message', channel_type: 'im', channel: 'D0SOCK', user: 'U0SOCK', text: 'after the refresh', ts: '1700010300.000100' }),
    });
    await fake.socket.waitForAck(envelope.envelope_id);
    await eventually(() => consulted.includes('after the refresh'), 'the DM after the reconnect to be answered');
  }, 20_000);

  it('closes the socket (normal closure) when Tsumiki stops, and does not reconnect', async () => {
    const closesBefore = fake.socket.closes.length;
    await tsumiki.stop();
    stopped = true;
    await fake.socket.waitForAllClosed();
    expect(fake.socket.closes.slice(closesBefore)).toEqual([{ code: 1000, reason: '' }]);
    const opens = fake.callsTo('apps.connections.open').length;
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.callsTo('apps.connections.open')).toHaveLength(opens);
    expect(fake.socket.openConnections).toBe(0);
    expect(unhandled).toEqual([]);
  });
});
