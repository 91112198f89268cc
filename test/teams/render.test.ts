/** Reply → Teams activity, as data. */
import { aiMessageEntity, renderReply, replyCard } from '../../src/channels/teams/render';
import type { Reply } from '../../src/core/types';

it('renders a confirmation with a destructive button and no inputs', () => {
  const reply: Reply = { kind: 'confirm', locale: 'ja', title: '本当に消去しますか?', text: '**元に戻せません。**', actions: [{ id: 'forget.confirm', label: '消去する', value: 'tok', style: 'danger' }, { id: 'forget.cancel', label: 'やめる' }] };
  const activity = renderReply(reply);
  const card = activity.attachments![0]!.content as any;
  expect(card.body[0]).toMatchObject({ type: 'TextBlock', text: '本当に消去しますか?', weight: 'Bolder' });
  expect(card.actions[0]).toMatchObject({ type: 'Action.Submit', style: 'destructive', data: { action: 'forget.confirm', value: 'tok' } });
  expect(card.actions[1].data).toEqual({ action: 'forget.cancel' });
});

it('strips code spans in card text (Adaptive Cards show backticks literally) but keeps them in messages', () => {
  expect(JSON.stringify(replyCard({ kind: 'settings', locale: 'en', text: 'Type `schedule on`.', actions: [{ id: 'command', label: 'On', value: 'schedule on' }] }))).toContain('Type schedule on.');
  expect(renderReply({ kind: 'info', locale: 'en', text: 'Type `help`.' }).text).toBe('Type `help`.');
});

it('keeps link buttons as links', () => {
  const card = replyCard({ kind: 'oneonone', locale: 'en', text: 'Questions', actions: [{ id: 'open', label: 'Guide', url: 'https://intra.example.com/g' }] }) as any;
  expect(card.actions[0]).toEqual({ type: 'Action.OpenUrl', title: 'Guide', url: 'https://intra.example.com/g' });
});

it('labels AI answers and limits citations to the 10 Teams shows', () => {
  const sources = Array.from({ length: 12 }, (_, i) => ({ n: i + 1, id: `g-${i}`, title: `Guide ${i}`, url: `https://intra.example.com/${i}`, kind: 'guide' as const }));
  const entity = aiMessageEntity({ kind: 'answer', locale: 'en', text: 'x [1]', sources, generated: true }) as any;
  expect(entity.additionalType).toEqual(['AIGeneratedContent']);
  expect(entity.citation).toHaveLength(10);
  expect(aiMessageEntity({ kind: 'answer', locale: 'en', text: 'plain' })).toBeUndefined();
});

describe('placeholders in Teams text', () => {
  it('shows `trainings <topic>` as ‹topic›, which Teams does not take for an HTML tag, and keeps autolinks', () => {
    const { teamsSafePlaceholders, replyToMarkdown } = jest.requireActual('../../src/channels/teams/render') as typeof import('../../src/channels/teams/render');
    expect(teamsSafePlaceholders('- `trainings <topic>` — <https://intra.example/a> and 3 < 4 > 2')).toBe('- `trainings ‹topic›` — <https://intra.example/a> and 3 < 4 > 2');
    expect(replyToMarkdown({ kind: 'help', locale: 'en', text: '`1on1 <member>`' })).toBe('`1on1 ‹member›`');
  });
});
