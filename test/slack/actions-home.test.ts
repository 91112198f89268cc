/** Buttons, modals and App Home through the real app and the fake Web API. */
import type { ActionContext } from '../../src/core/router';
import { blocksText, eventually, startSlackTestApp, type SlackTestApp } from './slack-test-app';

describe('Slack actions, modals and App Home', () => {
  let slack: SlackTestApp;
  const actions: ActionContext['action'][] = [];
  beforeAll(async () => {
    slack = await startSlackTestApp();
    slack.importOrg('E100,Hana Ito,hana@example.com,,U0HANA,,Asia/Tokyo,en');
    slack.fake.addUser({ id: 'U0HANA', name: 'Hana Ito', email: 'hana@example.com', tz: 'Asia/Tokyo' });
    slack.tsumiki.core.router.action('test', ({ action, locale }) => {
      actions.push(action);
      return [{ kind: 'info', locale, text: `got ${action.id}`, replaceOriginal: action.id === 'test.replace' }];
    });
    slack.tsumiki.core.router.action('form', ({ locale }) => [
      {
        kind: 'reflection',
        locale,
        title: 'Reflect',
        text: 'What happened?',
        inputs: [{ id: 'experience', label: 'Experience', multiline: true }],
        actions: [{ id: 'test.submit', label: 'Send', value: 'step-1', style: 'primary' }],
      },
    ]);
  });
  afterAll(async () => {
    await slack.close();
  });

  const button = (action_id: string, value: string, container: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    type: 'block_actions',
    user: { id: 'U0HANA', team_id: 'T0001' },
    trigger_id: '123.456.abc',
    container,
    actions: [{ type: 'button', action_id, block_id: 'actions', value, action_ts: '1700000000.1' }],
    ...extra,
  });

  it('the App Home shows settings buttons that run chat commands', async () => {
    await slack.event({ type: 'app_home_opened', user: 'U0HANA', channel: 'D0HANA', tab: 'home', event_ts: '1700001000.1' });
    const publish = await slack.fake.waitFor('views.publish', (c) => c.body.user_id === 'U0HANA');
    const view = publish.body.view as { type: string; blocks: Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }> };
    expect(view.type).toBe('home');
    const values = view.blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements!.map((e) => e.value));
    expect(values).toEqual(expect.arrayContaining(['schedule on', 'reflect', 'journal', 'export']));
    expect(blocksText(view.blocks)).toContain('Tsumiki');
  });

  it('a home button runs its command, answers in the DM and refreshes the home view', async () => {
    const before = slack.fake.callsTo('views.publish').length;
    const res = await slack.action(button('command#1', 'help', { type: 'view', view_id: 'V1' }, { view: { id: 'V1', type: 'home' } }));
    expect(res.status).toBe(200);
    const dm = await slack.fake.waitFor('chat.postMessage', (c) => c.body.channel === 'D0HANA' && blocksText(c.body.blocks).includes('What Tsumiki can do'));
    expect(dm).toBeDefined();
    await eventually(() => slack.fake.callsTo('views.publish').length > before, 'the home view to be republished');
  });

  it('a button on a DM message reaches its action handler with id and value, and can replace the message', async () => {
    const container = { type: 'message', message_ts: '1700002000.000100', channel_id: 'D0HANA', is_ephemeral: false };
    await slack.action(button('test.replace', 'v1', container, { channel: { id: 'D0HANA' }, message: { ts: '1700002000.000100' }, response_url: slack.fake.responseUrl() }));
    const update = await slack.fake.waitFor('chat.update', (c) => c.body.ts === '1700002000.000100');
    expect(update.body.channel).toBe('D0HANA');
    expect(blocksText(update.body.blocks)).toContain('got test.replace');
    expect(actions.at(-1)).toMatchObject({ id: 'test.replace', value: 'v1' });
  });

  it('a button on an ephemeral message answers through its response_url', async () => {
    const responseUrl = slack.fake.responseUrl();
    const container = { type: 'message', message_ts: '1700003000.000100', channel_id: 'C0PUB', is_ephemeral: true };
    await slack.action(button('test.click', 'v2', container, { channel: { id: 'C0PUB' }, response_url: responseUrl }));
    const post = await slack.fake.waitForResponseUrlPost((p) => p.id === responseUrl.split('/').pop());
    expect(post.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(blocksText(post.body.blocks)).toContain('got test.click');
  });

  it('a reply with input fields opens a modal; its submission reaches the action with the inputs', async () => {
    const container = { type: 'message', message_ts: '1700004000.000100', channel_id: 'D0HANA', is_ephemeral: false };
    await slack.action(button('form', 'open', container, { channel: { id: 'D0HANA' } }));
    const open = await slack.fake.waitFor('views.open');
    expect(open.body.trigger_id).toBe('123.456.abc');
    const view = open.body.view as { callback_id: string; private_metadata: string; blocks: Array<{ type: string; block_id?: string }> };
    expect(view.blocks.some((b) => b.type === 'input' && b.block_id === 'input:experience')).toBe(true);
    const res = await slack.action({
      type: 'view_submission',
      user: { id: 'U0HANA', team_id: 'T0001' },
      view: { id: 'V9', type: 'modal', callback_id: view.callback_id, private_metadata: view.private_metadata, state: { values: { 'input:experience': { experience: { type: 'plain_text_input', value: 'I ran my first retro' } } } } },
    });
    expect(res.status).toBe(200);
    await eventually(() => actions.some((a) => a.id === 'test.submit'), 'the submission to reach the action');
    expect(actions.find((a) => a.id === 'test.submit')).toMatchObject({ value: 'step-1', inputs: { experience: 'I ran my first retro' } });
    await slack.fake.waitFor('chat.postMessage', (c) => c.body.channel === 'D0HANA' && blocksText(c.body.blocks).includes('got test.submit'));
  });

  it('an unknown action gets help, not silence', async () => {
    const container = { type: 'message', message_ts: '1700005000.000100', channel_id: 'D0HANA', is_ephemeral: false };
    await slack.action(button('nobody.handles.this', 'x', container, { channel: { id: 'D0HANA' } }));
    await slack.fake.waitFor('chat.postMessage', (c) => c.body.channel === 'D0HANA' && blocksText(c.body.blocks).includes('nobody.handles.this'));
  });
});
