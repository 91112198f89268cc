/**
 * The Teams channel over real HTTP: activities posted to /api/messages, replies recorded by a
 * fake Bot Framework connector on 127.0.0.1 that botbuilder's own client talks to.
 */
import type { Reply } from '../../src/core/types';
import { importOrg } from '../../src/people/org-import';
import { cardOf, cardTexts, startTeamsHarness, teamsActivity, type TeamsHarness } from './teams-helpers';

let h: TeamsHarness;

beforeEach(async () => {
  h = await startTeamsHarness();
});
afterEach(async () => {
  await h.stop();
});

function insertAnswer(personId: number | null): number {
  const info = h.app.core.db
    .prepare("INSERT INTO answers (person_id, channel, answer, sources, generated) VALUES (?, 'teams', 'a', '[]', 1)")
    .run(personId);
  return Number(info.lastInsertRowid);
}

const sources: Reply['sources'] = [
  { n: 1, id: 'trn-001', title: 'クラウド基礎 (AWS)', url: 'https://intra.example.com/training/trn-001', kind: 'training' },
  { n: 2, id: 'pst-004', title: 'データ基盤チーム 社内公募', url: 'https://intra.example.com/postings/pst-004', kind: 'posting', deadline: '2026-12-31' },
];

const messages = () => h.connector.activities.filter((a) => a.activity.type === 'message');

describe('1:1 chat', () => {
  it('answers a typed command in the same conversation as one message, with no typing indicator or stream for an instant answer', async () => {
    const inbound = teamsActivity(h.connector, { text: 'help' });
    const res = await h.post(inbound);
    expect(res.status).toBe(200);
    const sent = h.connector.activities;
    // Each activity counts against Teams' 8-in-2-s conversation limit: an instant answer spends one.
    expect(sent.map((a) => a.activity.type)).not.toContain('typing');
    const help = messages().find((m) => /help/.test(m.activity.text ?? ''));
    expect(help).toBeDefined();
    expect(help!.conversationId).toBe('a:personal-1');
    expect(help!.activityId).toBe(inbound.id); // a reply to the person's message
    expect(help!.activity.textFormat).toBe('markdown');
  });

  it('stores the conversation reference for proactive messages', async () => {
    await h.post(teamsActivity(h.connector, { text: 'help' }));
    const identity = h.app.core.people.identity('teams', 'aad-user-1');
    expect(identity?.reachable).toBe(true);
    const reference = JSON.parse(identity!.conversationRef!);
    expect(reference.conversation.id).toBe('a:personal-1');
    expect(reference.serviceUrl).toBe(h.connector.url);
  });

  it('links the Teams account to an imported employee by the roster e-mail', async () => {
    importOrg(h.app.core.db, h.app.core.people, 'employee_id,name,email,manager_id,slack_user_id,teams_aad_object_id,timezone,locale\nE100,佐藤 花子,hanako@example.com,,,,Asia/Tokyo,ja\n');
    h.connector.members.set('29:user-1', { id: '29:user-1', name: 'Sato Hanako', email: 'hanako@example.com', aadObjectId: 'aad-user-1' });
    let seenEmployee: string | null | undefined;
    h.app.core.router.setConsultation(({ turn, locale }) => {
      seenEmployee = turn.actor.employeeId;
      return [{ kind: 'info', locale, text: 'ok' }];
    });
    await h.post(teamsActivity(h.connector, { text: 'キャリアについて相談したいです' }));
    expect(seenEmployee).toBe('E100');
  });

  it('shows a typing indicator, without opening a stream, when an answer takes a moment', async () => {
    h.app.core.router.setConsultation(async ({ locale, observer }) => {
      await observer.onStatus?.('考えています…');
      await new Promise((r) => setTimeout(r, 450));
      return [{ kind: 'info', locale, text: '少し考えました。' }];
    });
    await h.post(teamsActivity(h.connector, { text: '相談があります' }));
    const sent = h.connector.activities.map((a) => a.activity);
    expect(sent[0]!.type).toBe('typing');
    expect(sent.filter((a) => a.type === 'typing')).toHaveLength(1);
    // No stream was opened, so the answer did not wait out the stream's one-second spacing.
    expect(sent.some((a) => a.channelData?.streamType)).toBe(false);
    expect(sent.at(-1)!.text).toBe('少し考えました。');
  });

  it('streams a slow answer: informative update, streaming updates, then the final message with AI label, citations and feedback', async () => {
    const person = { id: 0 };
    h.app.core.router.setConsultation(async ({ turn, locale, observer }) => {
      person.id = turn.actor.personId;
      await observer.onStatus?.('考えています…');
      // Retrieval and the model's first token take a while: long enough for the status line to show.
      await new Promise((r) => setTimeout(r, 900));
      await observer.onToken?.('クラウドを学ぶなら ');
      // The model is slow: the first words go out as a streaming update before the rest arrives.
      await new Promise((r) => setTimeout(r, 1300));
      await observer.onToken?.('研修 [1] がおすすめです。');
      return [{ kind: 'answer', locale, text: 'クラウドを学ぶなら 研修 [1] がおすすめです。', sources, generated: true, answerId: insertAnswer(turn.actor.personId) }];
    });
    const res = await h.post(teamsActivity(h.connector, { text: 'クラウドの研修はありますか?' }));
    expect(res.status).toBe(200);

    const stream = h.connector.activities.filter((a) => a.activity.channelData?.streamType);
    expect(stream.map((a) => a.activity.channelData.streamType)).toEqual(['informative', 'streaming', 'final']);
    const [informative, streaming, final] = stream.map((a) => a.activity);
    expect(informative.type).toBe('typing');
    expect(informative.text).toBe('考えています…');
    expect(informative.channelData.streamSequence).toBe(1);
    const streamId = stream[0]!.id;
    expect(streaming.type).toBe('typing');
    expect(streaming.channelData).toMatchObject({ streamId, streamSequence: 2 });
    expect(streaming.text).toBe('クラウドを学ぶなら ');
    expect(streaming.entities).toContainEqual({ type: 'streaminfo', streamType: 'streaming', streamSequence: 2, streamId });
    expect(final.type).toBe('message');
    expect(final.channelData).toMatchObject({ streamType: 'final', streamId, feedbackLoopEnabled: true });
    expect(final.text).toBe('クラウドを学ぶなら 研修 [1] がおすすめです。');
    // About one request a second, so Teams does not throttle the stream.
    expect(stream[1]!.at - stream[0]!.at).toBeGreaterThanOrEqual(900);
    expect(stream[2]!.at - stream[1]!.at).toBeGreaterThanOrEqual(900);

    const ai = final.entities.find((e: any) => e.type === 'https://schema.org/Message');
    expect(ai.additionalType).toEqual(['AIGeneratedContent']);
    expect(ai.citation).toHaveLength(2);
    expect(ai.citation[0]).toMatchObject({ '@type': 'Claim', position: 1, appearance: { name: 'クラウド基礎 (AWS)', url: 'https://intra.example.com/training/trn-001' } });
    expect(cardTexts(cardOf(final)).join('\n')).toContain('[2] [データ基盤チーム 社内公募](https://intra.example.com/postings/pst-004)');
  });

  it('sends a quick answer as a single message when nothing was streamed', async () => {
    h.app.core.router.setConsultation(({ locale }) => [{ kind: 'answer', locale, text: '研修 [1] があります。', sources }]);
    await h.post(teamsActivity(h.connector, { text: '研修について教えてください' }));
    expect(h.connector.activities.filter((a) => a.activity.channelData?.streamType)).toHaveLength(0);
    const answer = messages().find((m) => m.activity.text === '研修 [1] があります。');
    expect(answer).toBeDefined();
    // Offline answers (not generated) cite their sources but carry no AI label.
    const ai = answer!.activity.entities.find((e: any) => e.type === 'https://schema.org/Message');
    expect(ai.additionalType).toBeUndefined();
    expect(ai.citation).toHaveLength(2);
  });

  it('turns Teams’ feedback buttons into the feedback action on the answer, replacing the card buttons', async () => {
    let answerId = 0;
    h.app.core.router.setConsultation(({ turn, locale }) => {
      answerId = insertAnswer(turn.actor.personId);
      const feedbackButtons = [
        { id: 'feedback.up', label: '👍', value: String(answerId) },
        { id: 'feedback.down', label: '👎', value: String(answerId) },
      ];
      return [{ kind: 'answer', locale, text: '答え [1]', sources, generated: true, answerId, actions: feedbackButtons }];
    });
    await h.post(teamsActivity(h.connector, { text: '質問です、研修は?' }));
    const answer = messages().find((m) => m.activity.text === '答え [1]')!;
    expect(answer.activity.channelData.feedbackLoopEnabled).toBe(true);
    // Teams draws its own 👍/👎, so the card has no second pair.
    expect(cardOf(answer.activity).actions).toBeUndefined();

    const res = await h.post(
      teamsActivity(h.connector, {
        type: 'invoke',
        replyToId: answer.id,
        extra: { name: 'message/submitAction', value: { actionName: 'feedback', actionValue: { reaction: 'dislike', feedback: '{"feedbackText":"締切が古い"}' } } },
      }),
    );
    expect(res.status).toBe(200);
    const rows = h.app.core.db.prepare('SELECT rating FROM feedback WHERE answer_id = ?').all(answerId);
    expect(rows).toEqual([{ rating: -1 }]);
  });

  it('ignores feedback on a message that carried no answer, still answering the invoke', async () => {
    const res = await h.post(
      teamsActivity(h.connector, { type: 'invoke', replyToId: 'unknown-message', extra: { name: 'message/submitAction', value: { actionName: 'feedback', actionValue: { reaction: 'like' } } } }),
    );
    expect(res.status).toBe(200);
    expect(h.app.core.db.prepare('SELECT COUNT(*) AS n FROM feedback').get()).toEqual({ n: 0 });
  });
});

describe('cards', () => {
  it('renders input fields and a submit button, and hands the submission to the action with its inputs', async () => {
    const submissions: unknown[] = [];
    h.app.core.router.command({
      name: 'testcard',
      summary: { ja: 'テスト', en: 'test' },
      handle: ({ locale }) => [
        {
          kind: 'reflection',
          locale,
          title: 'ふりかえり',
          text: '今週いちばん印象に残った経験は?',
          inputs: [{ id: 'experience', label: '経験', multiline: true, optional: false }],
          actions: [
            { id: 'testcard.submit', label: '送信', style: 'primary', value: 'step-1' },
            { id: 'testcard.skip', label: 'スキップ' },
          ],
        },
      ],
    });
    h.app.core.router.action('testcard', ({ action, locale }) => {
      submissions.push(action);
      return [{ kind: 'reflection', locale, text: '記録しました。', replaceOriginal: true }];
    });
    await h.post(teamsActivity(h.connector, { text: 'testcard' }));
    const cardMessage = messages().find((m) => cardOf(m.activity))!;
    const card = cardOf(cardMessage.activity);
    expect(card.version).toBe('1.5');
    expect(card.body).toContainEqual(expect.objectContaining({ type: 'Input.Text', id: 'experience', isMultiline: true, isRequired: true }));
    expect(card.actions[0]).toMatchObject({ type: 'Action.Submit', title: '送信', style: 'positive', associatedInputs: 'auto', data: { action: 'testcard.submit', value: 'step-1' } });
    expect(card.actions[1]).toMatchObject({ associatedInputs: 'none', data: { action: 'testcard.skip' } });

    // Teams posts the card's data merged with the inputs as `value`, replying to the card message.
    const res = await h.post(teamsActivity(h.connector, { replyToId: cardMessage.id, value: { action: 'testcard.submit', value: 'step-1', experience: '初めて顧客に提案した' } }));
    expect(res.status).toBe(200);
    expect(submissions).toEqual([{ id: 'testcard.submit', value: 'step-1', inputs: { experience: '初めて顧客に提案した' } }]);
    // replaceOriginal: the card is updated in place.
    const update = h.connector.activities.find((a) => a.method === 'PUT');
    expect(update?.activityId).toBe(cardMessage.id);
    expect(update?.activity.text).toBe('記録しました。');
  });

  it('runs a command button (action id `command`) as the typed command', async () => {
    await h.post(teamsActivity(h.connector, { value: { action: 'command', value: 'help' } }));
    expect(messages().some((m) => /help/.test(m.activity.text ?? ''))).toBe(true);
  });

  it('attaches an export inline in local mode (the playground has no file consent flow)', async () => {
    h.app.core.router.command({
      name: 'testexport',
      summary: { ja: 'テスト', en: 'test' },
      handle: ({ locale }) => [{ kind: 'export', locale, text: 'あなたのデータです。', file: { name: 'tsumiki-export.json', mimeType: 'application/json', content: '{"person":{"name":"佐藤"}}' }, private: true }],
    });
    await h.post(teamsActivity(h.connector, { text: 'testexport' }));
    const exported = messages().find((m) => m.activity.attachments?.some((a: any) => a.contentType === 'application/json'))!;
    const file = exported.activity.attachments.find((a: any) => a.contentType === 'application/json');
    expect(file).toEqual({ contentType: 'application/json', name: 'tsumiki-export.json', content: { person: { name: '佐藤' } } });
    expect(cardTexts(cardOf(exported.activity)).join(' ')).toContain('あなたのデータです。');
  });
});

describe('channels and group chats', () => {
  it('answers an @mention in the reply chain from company documents only, without streaming', async () => {
    let seen: { text?: string; publicOnly?: boolean; surface?: string } = {};
    h.app.core.router.setConsultation(async ({ turn, args, publicOnly, locale, observer }) => {
      seen = { text: args, publicOnly, surface: turn.surface };
      await observer.onStatus?.('考えています…');
      return [{ kind: 'answer', locale, text: '公募 [2] があります。', sources }];
    });
    const inbound = teamsActivity(h.connector, {
      conversationType: 'channel',
      text: '<at>Tsumiki</at> データ基盤の公募はありますか?',
      extra: { entities: [{ type: 'mention', mentioned: { id: '28:tsumiki-bot', name: 'Tsumiki' }, text: '<at>Tsumiki</at>' }] },
    });
    await h.post(inbound);
    expect(seen).toEqual({ text: 'データ基盤の公募はありますか?', publicOnly: true, surface: 'mention' });
    const answer = messages().find((m) => m.activity.text === '公募 [2] があります。')!;
    expect(answer.conversationId).toBe('19:channel-1@thread.tacv2;messageid=111');
    expect(answer.activityId).toBe(inbound.id);
    expect(h.connector.activities.filter((a) => a.activity.channelData?.streamType)).toHaveLength(0);
  });

  it('never shows a personal reply in a channel', async () => {
    h.app.core.router.setConsultation(({ locale }) => [{ kind: 'journal', locale, text: '先週の学び: 秘密の内容', private: true }]);
    await h.post(teamsActivity(h.connector, { conversationType: 'channel', text: '<at>Tsumiki</at> 私の記録は?' }));
    const texts = messages().map((m) => m.activity.text ?? '');
    expect(texts.join('\n')).not.toContain('秘密の内容');
    expect(texts.some((t) => t.includes('1 対 1'))).toBe(true);
  });

  it('does not store a channel conversation as the person’s proactive reference', async () => {
    await h.post(teamsActivity(h.connector, { conversationType: 'channel', text: '<at>Tsumiki</at> help' }));
    expect(h.app.core.people.identity('teams', 'aad-user-1')?.conversationRef ?? null).toBeNull();
  });
});

describe('installation', () => {
  it('greets a person who installs the app in a 1:1 chat and stores the reference', async () => {
    await h.post(teamsActivity(h.connector, { type: 'conversationUpdate', extra: { membersAdded: [{ id: '29:user-1', aadObjectId: 'aad-user-1', name: 'Sato Hanako' }] } }));
    expect(messages().length).toBeGreaterThanOrEqual(2); // welcome with the purpose notice, then help
    expect(h.app.core.people.identity('teams', 'aad-user-1')?.conversationRef).toContain('a:personal-1');
  });

  it('greets nobody when added to a team channel', async () => {
    await h.post(
      teamsActivity(h.connector, {
        type: 'conversationUpdate',
        conversationType: 'channel',
        extra: { membersAdded: [{ id: '28:tsumiki-bot' }, { id: '29:user-2', aadObjectId: 'aad-user-2' }] },
      }),
    );
    expect(messages()).toHaveLength(0);
  });

  it('stores the reference on installationUpdate and marks the person unreachable on uninstall', async () => {
    await h.post(teamsActivity(h.connector, { type: 'installationUpdate', extra: { action: 'add' } }));
    expect(h.app.core.people.identity('teams', 'aad-user-1')?.conversationRef).toContain('a:personal-1');
    await h.post(teamsActivity(h.connector, { type: 'installationUpdate', extra: { action: 'remove' } }));
    const identity = h.app.core.people.identity('teams', 'aad-user-1')!;
    expect(identity.reachable).toBe(false);
    expect(identity.unreachableReason).toMatch(/uninstalled/);
  });
});
