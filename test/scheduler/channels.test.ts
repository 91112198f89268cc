/**
 * The closed loop across two weeks through the real channels: the running app, the real Slack
 * Web API client against the fake Slack API, and botbuilder against the fake Bot Framework
 * connector. The person answers by DM; next week's prompt recalls the planned experiment and the
 * answer lands in last week's entry. Also `tsumiki tick` as a separate process through the Slack fake.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import pino from 'pino';
import { startTsumiki, type RunningTsumiki } from '../../src/app';
import { importOrg } from '../../src/people/org-import';
import { reflectionsOf } from '../../src/reflections';
import { startFakeConnector, type FakeConnector } from '../fakes/fake-bot-connector';
import { cardOf, cardTexts, teamsActivity } from '../teams/teams-helpers';
import { blocksText, eventually, startSlackTestApp, type SlackTestApp } from '../slack/slack-test-app';
import { ORG_HEADER, tempDir, testConfig } from '../helpers/test-core';

const WEEK1 = new Date('2026-11-27T07:00:00Z'); // Friday 16:00 in Tokyo
const WEEK2 = new Date('2026-12-04T07:00:00Z');

function entries(app: RunningTsumiki) {
  return app.core.db.prepare('SELECT experience, reflection, lesson, experiment, experiment_outcome FROM journal_entries ORDER BY id').all() as Array<Record<string, string | null>>;
}

describe('through the Slack fake', () => {
  let slack: SlackTestApp;
  let ts = 1000;
  beforeAll(async () => {
    slack = await startSlackTestApp();
    slack.importOrg('E100,Sato Hanako,sato@example.com,,U0USER1,,Asia/Tokyo,en');
  });
  afterAll(async () => {
    await slack.close();
  });

  const shown = (call: { body: Record<string, unknown> }) => `${String(call.body.text ?? '')}\n${blocksText(call.body.blocks)}`;
  /** Messages posted or updated in the DM, minus the transient progress line. */
  const postsTo = (channel: string) =>
    slack.fake.calls.filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && c.body.channel === channel && !/^_?Thinking…_?\s*$/.test(shown(c).trim()));
  async function say(text: string): Promise<void> {
    const before = postsTo('D0USER1').length;
    await slack.event({ type: 'message', channel_type: 'im', channel: 'D0USER1', user: 'U0USER1', text, ts: `${++ts}.000100` });
    await eventually(() => postsTo('D0USER1').length > before, `a reply to "${text}"`);
    // A reply may be posted and then updated in place: wait until the DM is quiet for a moment.
    for (let seen = -1; seen !== slack.fake.calls.length; ) {
      seen = slack.fake.calls.length;
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  test('prompt, four answers, next week the experiment is recalled and its outcome stored', async () => {
    const consent = await slack.command('schedule on');
    expect(consent.status).toBe(200);
    await eventually(() => slack.fake.responseUrlPosts.length > 0 || postsTo('D0USER1').length > 0, 'the consent reply');

    const week1 = await slack.tsumiki.scheduler.tick(WEEK1);
    expect(week1.sent).toBe(1);
    const prompt = slack.fake.callsTo('chat.postMessage').at(-1)!;
    expect(shown(prompt)).toContain('What did you take on this week');

    await say('I ran the incident review for the payments outage for the first time.');

    await say('My manager said the timeline was clear but I should invite the on-call engineers earlier.');
    await say('Invite the people closest to the problem first.');
    await say('Ask the on-call engineer to co-host the next review.');
    expect(shown(postsTo('D0USER1').at(-1)!)).toContain('saved in your journal');
    expect(entries(slack.tsumiki)[0]).toMatchObject({ lesson: 'Invite the people closest to the problem first.', experiment: 'Ask the on-call engineer to co-host the next review.' });

    const week2 = await slack.tsumiki.scheduler.tick(WEEK2);
    expect(week2.sent).toBe(1);
    expect(shown(postsTo('D0USER1').at(-1)!)).toContain('Last week you planned to try “Ask the on-call engineer to co-host the next review.”');
    await say('They co-hosted and the review went faster.');
    expect(shown(postsTo('D0USER1').at(-1)!)).toContain('What did you take on this week');
    expect(entries(slack.tsumiki)[0]!.experiment_outcome).toBe('They co-hosted and the review went faster.');

    // The same week again sends nothing more.
    expect((await slack.tsumiki.scheduler.tick(WEEK2)).sent).toBe(0);
  });

  test('account_inactive stops retries and marks the identity unreachable', async () => {
    slack.importOrg('E101,Gone Person,gone@example.com,,U0GONE1,,Asia/Tokyo,en');
    const personId = slack.tsumiki.core.people.byEmployeeId('E101')!.id;
    reflectionsOf(slack.tsumiki.core).repo.setConsent(personId, true, new Date('2026-11-21T00:00:00Z'));
    slack.fake.respondTo('conversations.open', () => ({ ok: false, error: 'account_inactive' }));
    try {
      const report = await slack.tsumiki.scheduler.tick(new Date('2026-12-11T07:00:00Z'));
      expect(report.failed).toBeGreaterThanOrEqual(1);
      expect(slack.tsumiki.core.people.identity('slack', 'U0GONE1')!.reachable).toBe(false);
    } finally {
      slack.fake.respondTo('conversations.open');
    }
  });
});

describe('through the Teams fake', () => {
  const AAD = '0b2c3d4e-1111-4222-8333-944455556666';
  let connector: FakeConnector;
  let app: RunningTsumiki;
  beforeAll(async () => {
    connector = await startFakeConnector();
    app = await startTsumiki(testConfig({ PORT: '0', TSUMIKI_DATA_DIR: tempDir('tsumiki-teams-data-'), TSUMIKI_DEFAULT_LOCALE: 'ja' }), pino({ level: 'silent' }), { defaultMetrics: false });
    importOrg(app.core.db, app.core.people, `${ORG_HEADER}\nE200,Suzuki Ken,ken@example.com,,,${AAD},Asia/Tokyo,ja\n`);
  });
  afterAll(async () => {
    await app.stop();
    await connector.close();
  });

  async function say(text: string): Promise<string> {
    const before = connector.activities.length;
    const response = await fetch(`${app.http.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(teamsActivity(connector, { text, aadObjectId: AAD, userId: '29:ken', conversationId: 'a:ken-personal', locale: 'ja-JP' })),
    });
    expect(response.status).toBeLessThan(300);
    await connector.waitFor((a) => a.length > before);
    return shownSince(before);
  }
  const shownSince = (index: number) =>
    connector.activities
      .slice(index)
      .map((a) => `${a.activity.text ?? ''}\n${cardTexts(cardOf(a.activity)).join('\n')}`)
      .join('\n');

  test('prompt as a card, answers by chat, next week recalls the experiment', async () => {
    expect(await say('schedule on')).toContain('金曜日 16:00');
    let before = connector.activities.length;
    expect((await app.scheduler.tick(WEEK1)).sent).toBe(1);
    const card = cardOf(connector.activities[before]!.activity);
    expect(cardTexts(card).join('\n')).toContain('今週、どんなことに取り組みましたか');

    await say('初めて新人研修の講師をした');
    await say('受講者から例が具体的でわかりやすいと言われた');
    await say('自分の失敗談を例にすると伝わる');
    expect(await say('来週の勉強会でも失敗談から話す')).toContain('ジャーナルに保存しました');

    before = connector.activities.length;
    expect((await app.scheduler.tick(WEEK2)).sent).toBe(1);
    expect(shownSince(before)).toContain('先週は「来週の勉強会でも失敗談から話す」をためしてみると決めていました');
    await say('質問が増えて盛り上がった');
    expect(entries(app)[0]!.experiment_outcome).toBe('質問が増えて盛り上がった');
  });
});

describe('tsumiki invite as a process', () => {
  test('sends each invitation once through Slack, with an accept button, and records it', async () => {
    const slack = await startSlackTestApp();
    try {
      slack.importOrg('E400,Ito,ito@example.com,,U0ITO,,Asia/Tokyo,ja\nE401,Kato,kato@example.com,,U0KATO,,Asia/Tokyo,en');
      const run = (...args: string[]) =>
        new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, [path.join(__dirname, '..', '..', 'bin', 'tsumiki.js'), 'invite', ...args], {
            env: { ...process.env, TSUMIKI_DB: slack.tsumiki.core.config.databasePath, SLACK_BOT_TOKEN: 'xoxb-fake-token', SLACK_SIGNING_SECRET: 'x', SLACK_API_URL: slack.fake.url, NODE_ENV: 'test', TSUMIKI_PLAYGROUND: 'off' },
          });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (c) => (stdout += c));
          child.stderr.on('data', (c) => (stderr += c));
          child.on('exit', (code) => resolve({ code, stdout, stderr }));
        });
      const first = await run('--json');
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject({ queued: 2, sent: 2, failed: 0 });
      const posts = slack.fake.callsTo('chat.postMessage');
      const texts = posts.map((c) => `${String(c.body.text ?? '')}\n${blocksText(c.body.blocks)}`).join('\n');
      expect(texts).toContain('週に一度の「ふりかえり」のご案内');
      expect(texts).toContain('An invitation to a short weekly reflection');
      expect(JSON.stringify(posts.map((c) => c.body.blocks))).toContain('reflect.accept');
      const invited = slack.tsumiki.core.db.prepare('SELECT COUNT(*) AS n FROM reflection_settings WHERE invited_at IS NOT NULL').get();
      expect(invited).toEqual({ n: 2 });

      const again = await run('E400', 'NOBODY');
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('not in the organisation import: NOBODY');
      expect(again.stderr).toContain('1 already invited');
      expect(slack.fake.callsTo('chat.postMessage')).toHaveLength(posts.length);
    } finally {
      await slack.close();
    }
  });
});

describe('tsumiki tick as a process', () => {
  test('sends what is due through the configured Slack API and reports it as JSON', async () => {
    const slack = await startSlackTestApp();
    try {
      slack.importOrg('E300,Tanaka,tanaka@example.com,,U0TANAKA,,Asia/Kolkata,en');
      reflectionsOf(slack.tsumiki.core).repo.setConsent(slack.tsumiki.core.people.byEmployeeId('E300')!.id, true, new Date('2026-11-21T00:00:00Z'));
      const run = (now: string) =>
        new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, [path.join(__dirname, '..', '..', 'bin', 'tsumiki.js'), 'tick', '--now', now, '--json'], {
            env: { ...process.env, TSUMIKI_DB: slack.tsumiki.core.config.databasePath, SLACK_BOT_TOKEN: 'xoxb-fake-token', SLACK_SIGNING_SECRET: 'x', SLACK_API_URL: slack.fake.url, NODE_ENV: 'test', TSUMIKI_PLAYGROUND: 'off' },
          });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (c) => (stdout += c));
          child.stderr.on('data', (c) => (stderr += c));
          child.on('exit', (code) => resolve({ code, stdout, stderr }));
        });
      const before = slack.fake.callsTo('chat.postMessage').length;
      const result = await run('2026-11-27T10:30:00Z'); // Friday 16:00 in Kolkata
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ channels: ['slack'], due: 1, sent: 1, failed: 0 });
      expect(slack.fake.callsTo('chat.postMessage').length).toBe(before + 1);
      const again = await run('2026-11-27T10:31:00Z');
      expect(JSON.parse(again.stdout)).toMatchObject({ due: 0, sent: 0 });

      const bad = await run('next friday');
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('ISO 8601');
    } finally {
      await slack.close();
    }
  });
});
