/** `/career …`: acknowledged at once, answered privately (ephemeral via response_url), files to the DM. */
import { coreMessages } from '../../src/core/messages';
import { blocksText, startSlackTestApp, type SlackTestApp } from './slack-test-app';

describe('/career slash command', () => {
  let slack: SlackTestApp;
  beforeAll(async () => {
    slack = await startSlackTestApp();
    slack.fake.addUser({ id: 'U0USER1', name: 'Aiko Sato', email: 'aiko@example.com', tz: 'Asia/Tokyo', locale: 'en-US' });
    slack.importOrg('E001,Aiko Sato,aiko@example.com,,,,,en');
  });
  afterAll(async () => {
    await slack.close();
  });

  it('acknowledges with an empty 200 and answers help ephemerally through the response_url', async () => {
    const res = await slack.command('help');
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const post = await slack.fake.waitForResponseUrlPost((p) => p.id === res.responseUrl.split('/').pop() && blocksText(p.body.blocks).includes(coreMessages.en.helpTitle));
    expect(post.body.response_type).toBe('ephemeral');
    const text = blocksText(post.body.blocks);
    for (const word of ['help', 'schedule', 'export', 'forget']) expect(text).toContain(word);
    // Nothing was posted publicly.
    expect(slack.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('shows help for an empty command and says so for an unknown one', async () => {
    const empty = await slack.command('');
    await slack.fake.waitForResponseUrlPost((p) => p.id === empty.responseUrl.split('/').pop() && blocksText(p.body.blocks).includes(coreMessages.en.helpTitle));
    const unknown = await slack.command('frobnicate now');
    const post = await slack.fake.waitForResponseUrlPost((p) => p.id === unknown.responseUrl.split('/').pop() && blocksText(p.body.blocks).includes('frobnicate'));
    expect(blocksText(post.body.blocks)).toContain(coreMessages.en.unknownCommand('frobnicate').replace(/`/g, '`'));
    expect(post.body.response_type).toBe('ephemeral');
  });

  it('matches the Slack user to the imported employee by e-mail (users.info)', async () => {
    const identity = slack.tsumiki.core.people.identity('slack', 'U0USER1');
    expect(identity).toBeDefined();
    expect(slack.tsumiki.core.people.byId(identity!.personId)?.employeeId).toBe('E001');
    expect(slack.fake.callsTo('users.info')[0]?.body.user).toBe('U0USER1');
  });

  it('forget shows a danger button with a confirmation dialog', async () => {
    const res = await slack.command('forget');
    const post = await slack.fake.waitForResponseUrlPost((p) => p.id === res.responseUrl.split('/').pop() && JSON.stringify(p.body.blocks ?? []).includes('forget.confirm'));
    const buttons = (post.body.blocks as Array<{ type: string; elements?: Array<Record<string, unknown>> }>).flatMap((b) => (b.type === 'actions' ? b.elements ?? [] : []));
    const confirm = buttons.find((b) => b.action_id === 'forget.confirm')!;
    expect(confirm.style).toBe('danger');
    expect(confirm.confirm).toBeDefined();
    expect(typeof confirm.value).toBe('string');
    expect(post.body.response_type).toBe('ephemeral');
  });

  it('export uploads a JSON file to the DM (files upload v2)', async () => {
    await slack.command('export');
    const complete = await slack.fake.waitFor('files.completeUploadExternal');
    expect(complete.body.channel_id).toBe('D0USER1');
    const getUrl = slack.fake.callsTo('files.getUploadURLExternal')[0]!;
    expect(String(getUrl.body.filename)).toMatch(/\.json$/);
    const fileId = (complete.body.files as Array<{ id: string }>)[0]!.id;
    const uploaded = slack.fake.uploads.get(fileId)!;
    expect(uploaded).toBeDefined();
    expect(uploaded).toContain('{');
    expect(slack.fake.callsTo('conversations.open')[0]?.body.users).toBe('U0USER1');
  });

  it('a member-only command from a guest gets a reason, not silence', async () => {
    slack.fake.addUser({ id: 'U0GUEST', name: 'Guest', email: 'guest@elsewhere.example' });
    const res = await slack.command('1on1 someone', { user_id: 'U0GUEST' });
    const post = await slack.fake.waitForResponseUrlPost((p) => p.id === res.responseUrl.split('/').pop() && blocksText(p.body.blocks).includes(coreMessages.en.membersOnly));
    expect(post.body.response_type).toBe('ephemeral');
  });
});
