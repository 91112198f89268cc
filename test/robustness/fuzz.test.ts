/**
 * Fuzz: mutated Teams activities (local mode) and mutated SIGNED Slack requests (events, slash
 * commands, interactivity; HTTP mode against the fake Web API) posted to the running app.
 * Properties: never a 5xx for a malformed but authenticated request, no unhandled rejection or
 * uncaught exception, the process keeps serving (/healthz, a normal turn still answered) and
 * stored data is intact. Fixed seed and bounded counts, so a failure reproduces and the run stays fast.
 */
import fc from 'fast-check';
import { post, startApp, teamsActivity, type RunningApp } from './support/running-app';
import { createHmac } from 'node:crypto';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/fake-slack-api';
import { importOrg } from '../../src/people/org-import';
import { ORG_HEADER } from '../helpers/test-core';

const SIGNING_SECRET = 'fuzz-signing-secret-5b1d0c9e';
const signature = (timestamp: number, body: string) => `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;

const SEED = 20261121;
/** TSUMIKI_FUZZ_SCALE=0.1 for a quick local look; the suite runs at 1 (1,000 requests). */
const SCALE = Number(process.env.TSUMIKI_FUZZ_SCALE ?? 1);
const TEAMS_RUNS = Math.ceil(400 * SCALE);
const SLACK_EVENT_RUNS = Math.ceil(200 * SCALE);
const SLACK_COMMAND_RUNS = Math.ceil(200 * SCALE);
const SLACK_ACTION_RUNS = Math.ceil(200 * SCALE);
const JOURNAL_PHRASE = 'FUZZ-SURVIVOR-2a9c';

/**
 * 5xx answers by kind (status + logged error message), each with its first example, so one run
 * reports every distinct problem instead of stopping at the first.
 */
const serverErrors = new Map<string, { count: number; example: unknown }>();
function recordServerError(what: string, logged: string, example: unknown): void {
  const message = /"message":"([^"]{0,160})/.exec(logged)?.[1] ?? /"msg":"([^"]{0,160})/.exec(logged)?.[1] ?? logged.slice(0, 160);
  const key = `${what} — ${message}`;
  const entry = serverErrors.get(key);
  if (entry) entry.count += 1;
  else serverErrors.set(key, { count: 1, example: typeof example === 'string' ? example.slice(0, 600) : JSON.stringify(example).slice(0, 600) });
}
function expectNoServerErrors(): void {
  expect(Object.fromEntries(serverErrors)).toEqual({});
}

const failures: string[] = [];
const onRejection = (reason: unknown) => failures.push(`unhandledRejection: ${String((reason as Error)?.stack ?? reason)}`);
const onException = (error: Error) => failures.push(`uncaughtException: ${error.stack ?? error.message}`);
beforeEach(() => serverErrors.clear());
beforeAll(() => {
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
});
afterAll(() => {
  process.off('unhandledRejection', onRejection);
  process.off('uncaughtException', onException);
});

// ---------------------------------------------------------------- generators shared by both channels

/** Text people and attackers might send: commands with junk, unicode of every plane, huge strings. */
const nastyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    '',
    ' ',
    'help',
    'export',
    'forget',
    'journal',
    'reflect',
    'schedule',
    'schedule on',
    'schedule off',
    'schedule xyz 25:99',
    'pause 2 weeks',
    'resume',
    'share on',
    '1on1 <@U0NOBODY>',
    'trainings AWS',
    'postings',
    '\u202Eexport\u200B',
    '<script>alert(1)</script>',
    '${jndi:ldap://127.0.0.1/a}',
    "'; DROP TABLE people; --",
    '%s%s%s%n',
    '\u0000\u0001\u0002',
    '🙏🏽'.repeat(500),
  ),
  fc
    .tuple(fc.constantFrom('schedule', 'pause', '1on1', 'ask', 'share', 'journal', 'forget', 'export'), fc.string({ unit: 'grapheme', maxLength: 60 }))
    .map(([command, junk]) => `${command} ${junk}`),
  fc.integer({ min: 4000, max: 12000 }).map((n) => 'あ'.repeat(n)),
);

/** Any JSON value, shallow enough to stay fast. */
const junk = fc.jsonValue({ maxDepth: 3 });

/** Randomly replaces or removes fields of a base object with junk. */
function mutate<T extends Record<string, unknown>>(base: T, fields: Record<string, fc.Arbitrary<unknown>>, rare: string[] = []): fc.Arbitrary<Record<string, unknown>> {
  const overrides: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, arb] of Object.entries(fields)) {
    // Rare fields are broken less often: replies are paced per conversation, so a broken conversation id serialises turns.
    const keep = rare.includes(key) ? 24 : 3;
    overrides[key] = fc.oneof({ weight: keep, arbitrary: fc.constant(Symbol.for('keep')) }, { weight: 1, arbitrary: fc.constant(Symbol.for('drop')) }, { weight: 3, arbitrary: arb });
  }
  return fc.record(overrides).map((chosen) => {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(chosen)) {
      if (value === Symbol.for('keep')) continue;
      if (value === Symbol.for('drop')) delete out[key];
      else out[key] = value;
    }
    return out;
  });
}

/**
 * Draws `count` values with a fixed seed (the same inputs every run) and runs `send` on them,
 * `concurrency` at a time: the channels pace replies per conversation and Bolt waits up to 3 s
 * for an ack nobody gives, so a strictly sequential run would be slow; concurrency is realistic.
 */
async function runSamples<T>(arb: fc.Arbitrary<T>, seed: number, count: number, send: (value: T, index: number) => Promise<void>, concurrency = 12): Promise<void> {
  const samples = fc.sample(arb, { seed, numRuns: count });
  let next = 0;
  const worker = async () => {
    while (next < samples.length) {
      const index = next++;
      await send(samples[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** The last error-level log line, for the failure message. */
function lastError(app: RunningApp): string {
  return (app.logs.filter((l) => /"level":(50|60)/.test(l)).pop() ?? '(none)').slice(0, 1500);
}

function expectNoFailures(): void {
  expect(failures).toEqual([]);
  expectNoServerErrors();
}

// ---------------------------------------------------------------- Teams (local mode)

describe('Teams activities', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
    const guest = app.app.core.people.createGuest('teams', '00000000-0000-4000-8000-000000000001');
    app.app.core.db.prepare('INSERT INTO journal_entries (person_id, experience) VALUES (?, ?)').run(guest.id, JOURNAL_PHRASE);
  });
  afterAll(async () => {
    await app?.close();
  });

  it(`${TEAMS_RUNS} mutated activities: no 5xx, no crash, data intact`, async () => {
    const endpoint = `${app.url}/api/messages`;
    const base = teamsActivity('SERVICE_URL');
    const activity = mutate(base, {
      type: fc.oneof(
        fc.constantFrom('message', 'conversationUpdate', 'messageReaction', 'typing', 'event', 'installationUpdate', 'endOfConversation', 'messageUpdate', 'messageDelete'),
        fc.string({ maxLength: 12 }),
        junk,
      ),
      text: fc.oneof(nastyText, junk),
      value: fc.oneof(
        fc.record({
          action: fc.oneof(fc.constantFrom('forget.confirm', 'forget.cancel', 'command', 'feedback.up', 'feedback.down', 'reflect.submit', 'reflect.skip', 'journal.share'), fc.string({ maxLength: 20 })),
          value: fc.oneof(nastyText, junk),
          experience: fc.oneof(nastyText, junk),
        }),
        junk,
      ),
      from: fc.oneof(
        fc.record({ id: fc.oneof(fc.string({ maxLength: 30 }), junk), aadObjectId: fc.oneof(fc.uuid(), fc.string({ maxLength: 30 }), junk), name: fc.oneof(nastyText, junk) }, { requiredKeys: [] }),
        junk,
      ),
      conversation: fc.oneof(
        fc.record(
          {
            id: fc.oneof(fc.constant('a:personal-1'), fc.string({ maxLength: 30 })),
            conversationType: fc.oneof(fc.constantFrom('personal', 'groupChat', 'channel'), fc.string({ maxLength: 10 }), junk),
            tenantId: fc.oneof(fc.string({ maxLength: 20 }), junk),
            isGroup: fc.boolean(),
          },
          { requiredKeys: ['id'] },
        ),
        junk,
      ),
      recipient: fc.oneof(fc.record({ id: fc.string({ maxLength: 20 }), name: fc.string({ maxLength: 20 }) }), junk),
      attachments: fc.oneof(
        fc.array(fc.record({ contentType: fc.oneof(fc.constantFrom('image/png', 'text/html', 'application/vnd.microsoft.card.adaptive', 'application/pdf'), fc.string({ maxLength: 20 })), content: junk, contentUrl: fc.constant('http://127.0.0.1:1/x') }, { requiredKeys: [] }), { maxLength: 4 }),
        junk,
      ),
      entities: fc.oneof(fc.array(fc.record({ type: fc.constantFrom('mention', 'clientInfo', 'x'), text: nastyText, mentioned: junk }), { maxLength: 3 }), junk),
      membersAdded: fc.oneof(fc.array(fc.record({ id: fc.string({ maxLength: 20 }), name: nastyText, aadObjectId: fc.uuid() }, { requiredKeys: [] }), { maxLength: 3 }), junk),
      channelData: junk,
      locale: fc.oneof(fc.constantFrom('ja-JP', 'en-US', 'xx', ''), junk),
      timestamp: fc.oneof(fc.string({ maxLength: 30 }), junk),
    }, ['conversation']);

    const statuses = new Map<number, number>();
    await runSamples(activity, SEED, TEAMS_RUNS, async (a, i) => {
      // serviceUrl stays the loopback connector: an authenticated activity's serviceUrl is Microsoft's, not the sender's choice.
      const conversation = a.conversation && typeof a.conversation === 'object' && !Array.isArray(a.conversation) ? { ...(a.conversation as object), id: (a.conversation as { id?: unknown }).id === 'a:personal-1' ? `a:fuzz-${i}` : (a.conversation as { id?: unknown }).id } : a.conversation;
      const body = { ...a, conversation, serviceUrl: app.connector.url };
      const r = await post(endpoint, body);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (r.status >= 500) recordServerError(`teams HTTP ${r.status}`, lastError(app), body);
    }, 32);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(TEAMS_RUNS);
    // The bot still serves a normal turn afterwards.
    const before = app.connector.sent.length;
    const ok = await post(endpoint, teamsActivity(app.connector.url, { text: 'help' }));
    expect(ok.status).toBe(200);
    expect(app.connector.sent.length).toBeGreaterThan(before);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const { n } = app.app.core.db.prepare('SELECT COUNT(*) AS n FROM journal_entries WHERE experience = ?').get(JOURNAL_PHRASE) as { n: number };
    expect(n).toBe(1);
    expectNoFailures();
  }, 120_000);
});

// ---------------------------------------------------------------- Slack (HTTP mode, signed)

describe('signed Slack requests', () => {
  let slack: RunningApp;
  let fake: FakeSlackApi;
  let eventsUrl: string;
  beforeAll(async () => {
    fake = await startFakeSlackApi();
    slack = await startApp({ SLACK_BOT_TOKEN: 'xoxb-fuzz-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.url, HOST: '127.0.0.1' }, { level: 'warn' });
    eventsUrl = `${slack.url}/slack/events`;
    const core = slack.app.core;
    importOrg(core.db, core.people, `${ORG_HEADER}\nE1,Aoi Tanaka,aoi@hoshizora.example,,U0USER1,,Asia/Tokyo,ja\n`);
    core.db.prepare('INSERT INTO journal_entries (person_id, experience) VALUES (?, ?)').run(core.people.byEmployeeId('E1')!.id, JOURNAL_PHRASE);
  });
  afterAll(async () => {
    await slack?.close();
    await fake?.close();
  });

  /** POSTs a signed request; throws (failing the property with the reason) on a 5xx. */
  const signedPost = async (body: string, contentType: string) => {
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(eventsUrl, {
      method: 'POST',
      headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature(timestamp, body) },
      body,
    });
    const text = await response.text();
    if (response.status >= 500) recordServerError(`slack HTTP ${response.status} ${text.slice(0, 100)}`, lastError(slack), body);
    return response.status;
  };

  const userId = fc.oneof(fc.constantFrom('U0USER1', 'U0NEWGUY', 'UBOT', 'W0ENTERPRISE'), fc.string({ maxLength: 12 }), junk);
  const channelId = fc.oneof(fc.constantFrom('D0USER1', 'C0GENERAL', 'G0PRIVATE'), fc.string({ maxLength: 12 }), junk);

  let eventCounter = 0;
  const eventArb = fc
    .tuple(
      mutate(
        { type: 'message', channel_type: 'im', user: 'U0USER1', channel: 'D0USER1', text: 'help', ts: '1700000000.000100' },
        {
          type: fc.oneof(fc.constantFrom('message', 'app_mention', 'app_home_opened', 'assistant_thread_started', 'assistant_thread_context_changed', 'member_joined_channel', 'tokens_revoked', 'app_uninstalled'), fc.string({ maxLength: 16 }), junk),
          subtype: fc.oneof(fc.constantFrom('bot_message', 'message_changed', 'message_deleted', 'file_share', 'channel_join'), fc.string({ maxLength: 10 }), junk),
          channel_type: fc.oneof(fc.constantFrom('im', 'channel', 'group', 'mpim', 'app_home'), junk),
          user: userId,
          channel: channelId,
          text: fc.oneof(nastyText, junk),
          ts: fc.oneof(fc.string({ maxLength: 20 }), junk),
          thread_ts: fc.oneof(fc.string({ maxLength: 20 }), junk),
          bot_id: fc.oneof(fc.string({ maxLength: 10 }), junk),
          files: fc.oneof(fc.array(fc.record({ id: fc.string(), name: nastyText, mimetype: fc.string() }), { maxLength: 2 }), junk),
          blocks: junk,
          tab: fc.oneof(fc.constantFrom('home', 'messages'), junk),
          assistant_thread: junk,
        },
      ),
      mutate(
        { token: 'legacy', team_id: 'T0001', api_app_id: 'A0001', type: 'event_callback', event_id: 'Ev0', event_time: 1700000000 },
        { type: fc.oneof(fc.constantFrom('event_callback', 'url_verification', 'app_rate_limited'), junk), team_id: fc.oneof(fc.string({ maxLength: 10 }), junk), challenge: junk, authorizations: junk },
      ),
      fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.string({ maxLength: 200 }) }),
    )
    .map(([event, envelope, raw]) => {
      eventCounter += 1;
      return raw ?? JSON.stringify({ ...envelope, event_id: `EvFuzz${eventCounter}`, event });
    });

  it(`${SLACK_EVENT_RUNS} mutated signed events: no 5xx`, async () => {
    await runSamples(eventArb, SEED + 1, SLACK_EVENT_RUNS, async (body) => {
      await signedPost(body, 'application/json');
    });
    expectNoFailures();
  }, 120_000);

  it(`${SLACK_COMMAND_RUNS} mutated signed slash commands: no 5xx`, async () => {
    const command = mutate(
      { token: 'legacy', team_id: 'T0001', team_domain: 'hoshizora', channel_id: 'D0USER1', channel_name: 'directmessage', user_id: 'U0USER1', user_name: 'user1', command: '/career', text: 'help', api_app_id: 'A0001', trigger_id: '1337.42.abcd' },
      {
        // Slack sends only the commands the app registered; another name would just wait out Bolt's ack timeout.
        command: fc.constantFrom('/career'),
        text: nastyText,
        user_id: fc.oneof(fc.constantFrom('U0USER1', 'U0NEWGUY', ''), fc.string({ maxLength: 12 })),
        channel_id: fc.oneof(fc.constantFrom('D0USER1', 'C0GENERAL', ''), fc.string({ maxLength: 12 })),
        channel_name: fc.oneof(fc.constantFrom('directmessage', 'general', 'privategroup'), fc.string({ maxLength: 12 })),
        team_id: fc.string({ maxLength: 10 }),
        trigger_id: fc.string({ maxLength: 20 }),
        response_url: fc.oneof(fc.constant('RESPONSE_URL'), fc.constantFrom('', 'not a url', 'ftp://127.0.0.1/x'), fc.string({ maxLength: 20 })),
      },
    );
    await runSamples(command, SEED + 2, SLACK_COMMAND_RUNS, async (fields) => {
        const form: Record<string, string> = {};
        for (const [k, v] of Object.entries(fields)) form[k] = v === 'RESPONSE_URL' ? fake.responseUrl() : String(v);
        if (!('response_url' in fields)) form.response_url = fake.responseUrl();
        await signedPost(new URLSearchParams(form).toString(), 'application/x-www-form-urlencoded');
    });
    expectNoFailures();
  }, 120_000);

  it(`${SLACK_ACTION_RUNS} mutated signed interactivity payloads: no 5xx`, async () => {
    const actionItem = mutate(
      { action_id: 'command', block_id: 'b1', type: 'button', value: 'help', action_ts: '1700000000.1' },
      {
        // Mostly ids the app knows: an unknown one only waits out Bolt's 3-second ack timeout.
        action_id: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('command', 'forget.confirm', 'forget.cancel', 'feedback.up', 'feedback.down', 'reflect.submit', 'reflect.skip', 'journal.share') }, { weight: 1, arbitrary: fc.string({ maxLength: 20 }) }, { weight: 1, arbitrary: junk }),
        value: fc.oneof(nastyText, junk),
        type: fc.oneof(fc.constantFrom('button', 'static_select', 'plain_text_input'), junk),
        selected_option: junk,
      },
    );
    const payload = mutate(
      { type: 'block_actions', user: { id: 'U0USER1', team_id: 'T0001' }, channel: { id: 'D0USER1' }, container: { type: 'message', message_ts: '1700000000.000100' }, trigger_id: '1.2.3', actions: [{ action_id: 'command', value: 'help', type: 'button', block_id: 'b1', action_ts: '1' }] },
      {
        type: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('block_actions', 'view_submission', 'view_closed', 'shortcut', 'message_action', 'block_suggestion') }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }, { weight: 1, arbitrary: junk }),
        user: fc.oneof(fc.record({ id: userId, team_id: fc.string({ maxLength: 10 }) }, { requiredKeys: [] }), junk),
        channel: fc.oneof(fc.record({ id: channelId }), junk),
        container: junk,
        actions: fc.oneof(fc.array(actionItem, { maxLength: 3 }), junk),
        view: fc.oneof(
          fc.record({ id: fc.string({ maxLength: 10 }), callback_id: fc.oneof(fc.constantFrom('reflect.submit', 'journal.edit'), fc.string({ maxLength: 12 })), private_metadata: fc.oneof(fc.string({ maxLength: 40 }), fc.json()), state: fc.record({ values: junk }) }, { requiredKeys: [] }),
          junk,
        ),
        callback_id: fc.oneof(fc.string({ maxLength: 12 }), junk),
        response_url: fc.oneof(fc.constant('RESPONSE_URL'), fc.constantFrom('', 'not a url'), junk),
        message: junk,
      },
    );
    const body = fc.oneof(
      { weight: 9, arbitrary: payload.map((p) => ({ payload: JSON.stringify({ team: { id: 'T0001', domain: 'hoshizora' }, api_app_id: 'A0001', token: 'legacy', ...p, ...(p.response_url === 'RESPONSE_URL' ? { response_url: fake.responseUrl() } : {}) }) })) },
      { weight: 1, arbitrary: fc.string({ maxLength: 100 }).map((s) => ({ payload: s })) },
    );
    await runSamples(body, SEED + 3, SLACK_ACTION_RUNS, async (form) => {
      await signedPost(new URLSearchParams(form).toString(), 'application/x-www-form-urlencoded');
    });
    expectNoFailures();
  }, 120_000);

  it('afterwards: still serving, data intact, nothing unhandled', async () => {
    // Let acknowledged requests finish their work (answers are sent after the ack).
    let last = -1;
    for (let i = 0; i < 50 && fake.calls.length !== last; i += 1) {
      last = fake.calls.length;
      await new Promise((r) => setTimeout(r, 100));
    }
    const before = fake.responseUrlPosts.length + fake.calls.length;
    const form = new URLSearchParams({ token: 'legacy', team_id: 'T0001', channel_id: 'D0USER1', channel_name: 'directmessage', user_id: 'U0USER1', command: '/career', text: 'help', response_url: fake.responseUrl(), trigger_id: '1.2.3' });
    expect(await signedPost(form.toString(), 'application/x-www-form-urlencoded')).toBe(200);
    for (let i = 0; i < 50 && fake.responseUrlPosts.length + fake.calls.length === before; i += 1) await new Promise((r) => setTimeout(r, 100));
    expect(fake.responseUrlPosts.length + fake.calls.length).toBeGreaterThan(before);
    expect((await fetch(`${slack.url}/healthz`)).status).toBe(200);
    const { n } = slack.app.core.db.prepare('SELECT COUNT(*) AS n FROM journal_entries WHERE experience = ?').get(JOURNAL_PHRASE) as { n: number };
    expect(n).toBe(1);
    expectNoFailures();
  }, 60_000);
});
