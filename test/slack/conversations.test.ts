/**
 * DMs, the assistant pane and channel mentions, through the real app and the fake Web API.
 * A stub consultation stands in for the model so the test controls status and tokens; the
 * assertions are about routing and what Slack received, not about answer wording.
 */
import { coreMessages } from '../../src/core/messages';
import type { ConsultationHandler } from '../../src/core/router';
import { blocksText, eventually, startSlackTestApp, type SlackTestApp } from './slack-test-app';

describe('Slack conversations', () => {
  let slack: SlackTestApp;
  const seen: Array<{ surface: string; publicOnly: boolean; text: string; threadKey: string }> = [];
  const streamingConsultation: ConsultationHandler = async ({ turn, locale, args, observer, publicOnly }) => {
    seen.push({ surface: turn.surface, publicOnly, text: args, threadKey: turn.threadKey });
    await observer.onStatus?.(coreMessages[locale].thinking);
    const parts = ['Build ', 'experience ', '**step** by step.'];
    for (const p of parts) {
      await observer.onToken?.(p);
      await new Promise((r) => setTimeout(r, 30));
    }
    return [
      {
        kind: 'answer',
        locale,
        text: parts.join(''),
        generated: true,
        answerId: 42,
        sources: [{ n: 1, id: 'trn-001', title: 'Cloud basics', url: 'https://intra.example.com/training/trn-001', kind: 'training' }],
      },
    ];
  };

  beforeAll(async () => {
    slack = await startSlackTestApp();
    slack.tsumiki.core.router.setConsultation(streamingConsultation);
    slack.fake.addUser({ id: 'U0DM', name: 'Dai Mori', email: 'dai@example.com', tz: 'Europe/Berlin', locale: 'en-GB' });
    slack.fake.addUser({ id: 'U0JA', name: '佐藤 花子', email: 'hanako@example.com', tz: 'Asia/Tokyo', locale: 'ja-JP' });
  });
  afterAll(async () => {
    await slack.close();
  });

  it('a DM goes to the consultation and is posted, then updated with the final answer', async () => {
    const res = await slack.event({ type: 'message', channel_type: 'im', channel: 'D0DM', user: 'U0DM', text: 'How do I grow into a tech lead role?', ts: '1700000100.000100' });
    expect(res.status).toBe(200);
    const update = await slack.fake.waitFor('chat.update', (c) => c.body.channel === 'D0DM' && blocksText(c.body.blocks).includes('*step* by step'));
    const blocks = update.body.blocks as Array<Record<string, unknown>>;
    const text = blocksText(blocks);
    expect(text).toContain('<https://intra.example.com/training/trn-001|Cloud basics>');
    expect(text).toMatch(/AI-generated/);
    const buttons = blocks.flatMap((b) => (b.type === 'actions' ? (b.elements as Array<Record<string, unknown>>) : []));
    expect(buttons.map((b) => [b.action_id, b.value])).toEqual([
      ['feedback.up', '42'],
      ['feedback.down', '42'],
    ]);
    // The placeholder was a postMessage in the same DM (no thread: Slack cannot stream there).
    const placeholder = slack.fake.callsTo('chat.postMessage').find((c) => c.body.channel === 'D0DM' && String(c.body.text).includes('Thinking'));
    expect(placeholder).toBeDefined();
    expect(slack.fake.callsTo('chat.startStream').filter((c) => c.body.channel === 'D0DM')).toHaveLength(0);
    expect(seen.at(-1)).toMatchObject({ surface: 'dm', publicOnly: false, threadKey: 'slack:D0DM' });
    // First contact: the purpose notice was posted too, privately in the DM, before the answer began.
    const posts = slack.fake.callsTo('chat.postMessage').filter((c) => c.body.channel === 'D0DM');
    const welcomeAt = posts.findIndex((c) => blocksText(c.body.blocks).includes(coreMessages.en.welcomeTitle));
    expect(welcomeAt).toBeGreaterThanOrEqual(0);
    expect(welcomeAt).toBeLessThan(posts.indexOf(placeholder!));
    expect(slack.tsumiki.core.people.byId(slack.tsumiki.core.people.identity('slack', 'U0DM')!.personId)?.timezone).toBe('Europe/Berlin');
  });

  it('answers a retried event (same event_id) only once, and ignores its own and edited messages', async () => {
    const event = { type: 'message', channel_type: 'im', channel: 'D0DM', user: 'U0DM', text: 'once please', ts: '1700000200.000100' };
    await slack.event(event, { eventId: 'EvDup1' });
    await slack.event(event, { eventId: 'EvDup1', retryNum: 1 });
    await slack.event({ type: 'message', channel_type: 'im', channel: 'D0DM', user: 'UBOT', bot_id: 'BBOT', text: 'my own reply', ts: '1700000201.000100' });
    await slack.event({ type: 'message', subtype: 'message_changed', channel_type: 'im', channel: 'D0DM', message: { text: 'edited' }, ts: '1700000202.000100' });
    await eventually(() => seen.filter((s) => s.text === 'once please').length === 1, 'the first delivery to be handled');
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.filter((s) => s.text === 'once please')).toHaveLength(1);
    expect(seen.some((s) => s.text === 'my own reply' || s.text === 'edited')).toBe(false);
  });

  it('assistant_thread_started sets up to four suggested prompts in the person’s language', async () => {
    await slack.event({
      type: 'assistant_thread_started',
      assistant_thread: { user_id: 'U0JA', context: { channel_id: 'C0CTX', team_id: 'T0001', enterprise_id: null }, channel_id: 'D0JA', thread_ts: '1700000300.000100' },
      event_ts: '1700000300.000200',
    });
    const prompts = await slack.fake.waitFor('assistant.threads.setSuggestedPrompts', (c) => c.body.channel_id === 'D0JA');
    expect(prompts.body.thread_ts).toBe('1700000300.000100');
    const list = prompts.body.prompts as Array<{ title: string; message: string }>;
    expect(list.length).toBeGreaterThan(0);
    expect(list.length).toBeLessThanOrEqual(4);
    expect(list[0]!.title).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
  });

  it('an assistant-thread message sets the title and status and streams the answer into the thread', async () => {
    await slack.event({
      type: 'message',
      channel_type: 'im',
      channel: 'D0JA',
      user: 'U0JA',
      text: '次に積む経験を考えたいです',
      ts: '1700000301.000100',
      thread_ts: '1700000300.000100',
    });
    const title = await slack.fake.waitFor('assistant.threads.setTitle', (c) => c.body.channel_id === 'D0JA');
    expect(title.body.title).toBe('次に積む経験を考えたいです');
    const status = await slack.fake.waitFor('assistant.threads.setStatus', (c) => c.body.channel_id === 'D0JA');
    expect(status.body.status).toBe(coreMessages.ja.thinking);
    const stop = await slack.fake.waitFor('chat.stopStream', (c) => c.body.channel === 'D0JA');
    const start = slack.fake.callsTo('chat.startStream').find((c) => c.body.channel === 'D0JA')!;
    expect(start.body.thread_ts).toBe('1700000300.000100');
    const streamedText = [start, ...slack.fake.callsTo('chat.appendStream').filter((c) => c.body.channel === 'D0JA'), stop]
      .flatMap((c) => (c.body.chunks as Array<{ text?: string }> | undefined) ?? [])
      .map((c) => c.text ?? '')
      .join('');
    expect(streamedText).toBe('Build experience **step** by step.');
    expect(JSON.stringify(stop.body.blocks)).toContain('feedback.up');
    expect(seen.at(-1)).toMatchObject({ surface: 'assistant', threadKey: 'slack:D0JA:1700000300.000100' });
  });

  it('an @mention in a channel is answered in its thread, public documents only, streamed to the asker', async () => {
    slack.fake.addUser({ id: 'U0CH', name: 'Chie', email: 'chie@example.com' });
    await slack.event({ type: 'app_mention', channel: 'C0PUB', user: 'U0CH', text: '<@UBOT> which trainings cover AWS basics?', ts: '1700000400.000100' });
    const stop = await slack.fake.waitFor('chat.stopStream', (c) => c.body.channel === 'C0PUB');
    const start = slack.fake.callsTo('chat.startStream').find((c) => c.body.channel === 'C0PUB')!;
    expect(start.body).toMatchObject({ thread_ts: '1700000400.000100', recipient_user_id: 'U0CH', recipient_team_id: 'T0001' });
    expect(stop.body.ts).toBe(start.body.ts === undefined ? stop.body.ts : stop.body.ts);
    expect(seen.at(-1)).toMatchObject({ surface: 'mention', publicOnly: true, text: 'which trainings cover AWS basics?' });
    // No purpose notice or personal reply in the channel.
    const inChannel = slack.fake.callsTo('chat.postMessage').filter((c) => c.body.channel === 'C0PUB');
    expect(inChannel.some((c) => blocksText(c.body.blocks).includes(coreMessages.en.welcomeTitle))).toBe(false);
  });

  it('a personal command in a channel mention is refused with a reason, in the thread', async () => {
    await slack.event({ type: 'app_mention', channel: 'C0PUB', user: 'U0CH', text: '<@UBOT> journal', ts: '1700000500.000100' });
    const reply = await slack.fake.waitFor('chat.postMessage', (c) => c.body.channel === 'C0PUB' && blocksText(c.body.blocks).includes(coreMessages.en.channelCommandRefused));
    expect(reply.body.thread_ts).toBe('1700000500.000100');
  });

  it('honours Retry-After on a 429 from the Web API and still delivers', async () => {
    let first = true;
    slack.fake.respondTo('chat.postMessage', (body) => {
      if (body.channel === 'D0RL' && first) {
        first = false;
        return { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } };
      }
      return { ok: true, channel: body.channel, ts: '1700000600.000100' };
    });
    slack.tsumiki.core.router.setConsultation(({ locale }) => [{ kind: 'answer', locale, text: 'plain answer' }]);
    slack.fake.addUser({ id: 'U0RL', name: 'Rate Limit' });
    const started = Date.now();
    await slack.event({ type: 'message', channel_type: 'im', channel: 'D0RL', user: 'U0RL', text: 'rate limited question', ts: '1700000600.000100' });
    await eventually(() => slack.fake.callsTo('chat.postMessage').filter((c) => c.body.channel === 'D0RL' && blocksText(c.body.blocks).includes('plain answer')).length >= 1, 'the retried post', 8000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    slack.fake.respondTo('chat.postMessage');
    slack.tsumiki.core.router.setConsultation(streamingConsultation);
  });

  it('tells the person when their answer cannot be delivered', async () => {
    slack.fake.respondTo('chat.postMessage', (body) => (String(body.text).startsWith('Sorry') ? { ok: true, channel: body.channel, ts: '1.1' } : { ok: false, error: 'msg_too_long' }));
    slack.fake.addUser({ id: 'U0ERR', name: 'Err' });
    slack.tsumiki.core.router.setConsultation(({ locale }) => [{ kind: 'answer', locale, text: 'cannot be posted' }]);
    await slack.event({ type: 'message', channel_type: 'im', channel: 'D0ERR', user: 'U0ERR', text: 'will this fail?', ts: '1700000700.000100' });
    const apology = await slack.fake.waitFor('chat.postMessage', (c) => c.body.channel === 'D0ERR' && String(c.body.text).startsWith('Sorry'));
    expect(String(apology.body.text)).toMatch(/could not deliver/);
    slack.fake.respondTo('chat.postMessage');
    slack.tsumiki.core.router.setConsultation(streamingConsultation);
  });
});
