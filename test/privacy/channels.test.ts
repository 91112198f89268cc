/**
 * Export and forget through the real channels: Teams in local mode (the running server and a
 * fake connector) and Slack over HTTP (signed slash command, fake Web API with files upload v2).
 */
import { createHmac } from 'node:crypto';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/fake-slack-api';
import { importOrg } from '../../src/people/org-import';
import { ORG_HEADER } from '../helpers/test-core';
import { post, startApp, teamsActivity, type RunningApp } from '../robustness/support/running-app';
import { findEverywhere, plantPersonalData } from './fixtures';

const AAD = '00000000-0000-4000-8000-000000000001';

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('Teams (local mode)', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
    const core = app.app.core;
    importOrg(core.db, core.people, `${ORG_HEADER}\nTMS-EMP-71,Teodora Vantablack,teodora@hoshizora.example,,,${AAD},Asia/Tokyo,en\n`);
    plantPersonalData(core.db, core.people.byEmployeeId('TMS-EMP-71')!.id, 'TEAMS-PLANT-6b1');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('export arrives as a JSON attachment named tsumiki-export-<date>.json', async () => {
    const before = app.connector.sent.length;
    expect((await post(`${app.url}/api/messages`, teamsActivity(app.connector.url, { text: 'export' }))).status).toBe(200);
    await until(() => app.connector.sent.slice(before).some((s) => (s.body?.attachments ?? []).some((a: { name?: string }) => a.name?.startsWith('tsumiki-export-'))), 'the export attachment');
    const attachment = app.connector.sent
      .slice(before)
      .flatMap((s) => s.body?.attachments ?? [])
      .find((a: { name?: string }) => a.name?.startsWith('tsumiki-export-'));
    expect(attachment.name).toMatch(/^tsumiki-export-\d{4}-\d{2}-\d{2}\.json$/);
    expect(JSON.stringify(attachment.content)).toContain('TEAMS-PLANT-6b1-journal');
  });

  it('forget shows a confirmation card; submitting it erases the person', async () => {
    const before = app.connector.sent.length;
    await post(`${app.url}/api/messages`, teamsActivity(app.connector.url, { text: 'forget' }));
    const findToken = () => {
      const text = JSON.stringify(app.connector.sent.slice(before).map((s) => s.body));
      return /"action":"forget\.confirm","value":"([0-9a-f]{32})"/.exec(text)?.[1];
    };
    await until(() => findToken() !== undefined, 'the confirmation card');
    const token = findToken()!;
    expect(app.app.core.people.byEmployeeId('TMS-EMP-71')).toBeDefined();
    const r = await post(`${app.url}/api/messages`, teamsActivity(app.connector.url, { text: undefined, value: { action: 'forget.confirm', value: token } }));
    expect(r.status).toBe(200);
    await until(() => app.app.core.people.byEmployeeId('TMS-EMP-71') === undefined, 'the erasure');
    for (const needle of ['TMS-EMP-71', 'Teodora', AAD, 'TEAMS-PLANT-6b1']) expect(findEverywhere(app.app.core.db, needle)).toEqual([]);
  });
});

describe('Slack (HTTP mode)', () => {
  const SECRET = 'privacy-test-signing-secret';
  let app: RunningApp;
  let fake: FakeSlackApi;
  beforeAll(async () => {
    fake = await startFakeSlackApi();
    app = await startApp({ SLACK_BOT_TOKEN: 'xoxb-privacy-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.url, HOST: '127.0.0.1' });
    const core = app.app.core;
    importOrg(core.db, core.people, `${ORG_HEADER}\nS1,Sigurd Quillfeather,sigurd@hoshizora.example,,U0SIG0001,,Asia/Tokyo,en\n`);
    plantPersonalData(core.db, core.people.byEmployeeId('S1')!.id, 'SLACK-PLANT-3c9');
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  async function slash(text: string): Promise<number> {
    const body = new URLSearchParams({
      token: 'legacy', team_id: 'T0001', channel_id: 'D0SIG0001', channel_name: 'directmessage', user_id: 'U0SIG0001', user_name: 'sigurd',
      command: '/career', text, response_url: fake.responseUrl(), trigger_id: '1.2.3', api_app_id: 'A0001',
    }).toString();
    const ts = Math.floor(Date.now() / 1000);
    const sig = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
    const response = await fetch(`${app.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig },
      body,
    });
    await response.text();
    return response.status;
  }

  it('/career export uploads the JSON file to the person', async () => {
    expect(await slash('export')).toBe(200);
    await until(() => [...fake.uploads.values()].some((content) => content.includes('SLACK-PLANT-3c9-journal')) || fake.calls.some((c) => JSON.stringify(c.body).includes('SLACK-PLANT-3c9-journal')), 'the uploaded export');
    const uploadCall = fake.calls.find((c) => c.method.startsWith('files.'));
    expect(uploadCall).toBeDefined();
    expect(JSON.stringify(fake.calls.filter((c) => c.method.startsWith('files.')).map((c) => c.body))).toMatch(/tsumiki-export-\d{4}-\d{2}-\d{2}\.json/);
  });
});
