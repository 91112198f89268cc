/** Block Kit rendering: pure functions, Slack's limits, mrkdwn conversion and escaping. */
import fc from 'fast-check';
import type { Reply } from '../../src/core/types';
import { baseActionId, readInputs, renderHome, renderModal, renderReply, SLACK_LIMITS, trailingBlocks } from '../../src/channels/slack/blocks';
import { markdownToMrkdwn, slackTextToPlain, splitText, stripBotMention } from '../../src/channels/slack/mrkdwn';
import type { ReflectionOverview } from '../../src/reflections/overview';

const NOW = new Date('2026-11-20T09:00:00Z');
type AnyBlock = { type: string; text?: { text: string }; elements?: Array<Record<string, unknown>>; [k: string]: unknown };

function sectionsOf(blocks: unknown[]): string[] {
  return (blocks as AnyBlock[]).filter((b) => b.type === 'section').map((b) => b.text!.text);
}

describe('markdownToMrkdwn', () => {
  it('converts bold, links and bullets', () => {
    expect(markdownToMrkdwn('**Next step**: see [the guide](https://intra.example.com/g?a=1&b=2)\n- one\n- two')).toBe(
      '*Next step*: see <https://intra.example.com/g?a=1&b=2|the guide>\n• one\n• two',
    );
  });

  it('escapes &, < and > so that text cannot inject mentions or links', () => {
    expect(markdownToMrkdwn('a <!channel> & <@U123> > b')).toBe('a &lt;!channel&gt; &amp; &lt;@U123&gt; &gt; b');
  });

  it('keeps a link label from breaking the link token', () => {
    expect(markdownToMrkdwn('[a|b <c>](https://x.example/p)')).toBe('<https://x.example/p|a/b &lt;c&gt;>');
  });

  it('leaves non-http links as escaped text', () => {
    expect(markdownToMrkdwn('[x](javascript:alert(1))')).toBe('[x](javascript:alert(1))');
  });
});

describe('slackTextToPlain', () => {
  it('turns Slack tokens back into what the person typed', () => {
    expect(slackTextToPlain('1on1 <@U123ABC|aiko> <mailto:a@b.example|a@b.example> &lt;3 &amp; <https://x.example|https://x.example>')).toBe(
      '1on1 <@U123ABC> a@b.example <3 & https://x.example',
    );
    expect(stripBotMention('<@UBOT> hello <@UBOT>', 'UBOT')).toBe('hello');
  });
});

describe('renderReply', () => {
  const answer: Reply = {
    kind: 'answer',
    locale: 'en',
    title: 'Your question',
    text: 'Try **cloud basics** [1].',
    generated: true,
    answerId: 7,
    sources: [
      { n: 1, id: 'trn-001', title: 'Cloud basics', url: 'https://intra.example.com/trn-001', kind: 'training' },
      { n: 2, id: 'pst-001', title: 'Closed posting', url: 'https://intra.example.com/pst-001', kind: 'posting', deadline: '2026-01-01' },
      { n: 3, id: 'pst-002', title: 'Open posting', url: 'https://intra.example.com/pst-002', kind: 'posting', deadline: '2027-01-01' },
    ],
  };

  it('shows the title, the text, sources as links with deadlines, the AI label and 👍/👎 with the answer id', () => {
    const [message, ...rest] = renderReply(answer, {}, NOW);
    expect(rest).toHaveLength(0);
    const blocks = message!.blocks as AnyBlock[];
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: 'Your question' } });
    expect(sectionsOf(blocks)).toEqual(['Try *cloud basics* [1].']);
    const context = JSON.stringify(blocks.filter((b) => b.type === 'context'));
    expect(context).toContain('[1] <https://intra.example.com/trn-001|Cloud basics>');
    expect(context).toContain('Closed posting> · closed');
    expect(context).toContain('Open posting> · deadline 2027-01-01');
    expect(context).toContain('AI-generated');
    const feedback = blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements!);
    expect(feedback.map((e) => [e.action_id, e.value])).toEqual([
      ['feedback.up', '7'],
      ['feedback.down', '7'],
    ]);
    expect(message!.text).toContain('Your question');
  });

  it('has no AI label or feedback on a non-generated reply without an answer id', () => {
    const [message] = renderReply({ kind: 'info', locale: 'ja', text: 'お知らせ' }, {}, NOW);
    expect(message!.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'お知らせ' } }]);
  });

  it('renders danger buttons with a confirmation dialog and keeps ids and values', () => {
    const [message] = renderReply(
      {
        kind: 'confirm',
        locale: 'ja',
        text: '本当に消しますか?',
        actions: [
          { id: 'forget.confirm', label: 'すべて消去する', value: 'tok', style: 'danger' },
          { id: 'forget.cancel', label: 'やめる', value: 'tok' },
          { id: 'command', label: 'A', value: 'schedule on' },
          { id: 'command', label: 'B', value: 'schedule off' },
          { id: 'link', label: 'Guide', url: 'https://intra.example.com/' },
        ],
      },
      {},
      NOW,
    );
    const buttons = (message!.blocks as AnyBlock[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements!);
    expect(buttons[0]).toMatchObject({ action_id: 'forget.confirm', value: 'tok', style: 'danger', confirm: { style: 'danger' } });
    expect(buttons[1]!.confirm).toBeUndefined();
    // Same action id twice in one block is not allowed by Slack: made unique, and mapped back.
    expect(buttons.map((b) => b.action_id)).toEqual(['forget.confirm', 'forget.cancel', 'command', 'command#1', 'link']);
    expect(buttons.map((b) => baseActionId(String(b.action_id)))).toEqual(['forget.confirm', 'forget.cancel', 'command', 'command', 'link']);
    expect(buttons[4]).toMatchObject({ url: 'https://intra.example.com/' });
  });

  it('truncates a button label to 75 characters and a header to 150', () => {
    const [message] = renderReply({ kind: 'info', locale: 'en', title: 'T'.repeat(400), text: 'x', actions: [{ id: 'a', label: 'L'.repeat(200) }] }, {}, NOW);
    const blocks = message!.blocks as AnyBlock[];
    expect((blocks[0]!.text as { text: string }).text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    const button = blocks.find((b) => b.type === 'actions')!.elements![0] as { text: { text: string } };
    expect([...button.text.text].length).toBeLessThanOrEqual(SLACK_LIMITS.buttonText);
  });

  it('splits a long answer into sections of ≤ 3,000 and messages of ≤ 12,000 characters and ≤ 50 blocks', () => {
    const paragraph = 'Experience is built block by block. '.repeat(40).trim();
    const text = Array.from({ length: 30 }, () => paragraph).join('\n\n');
    const messages = renderReply({ ...answer, text }, {}, NOW);
    expect(messages.length).toBeGreaterThan(1);
    const all = messages.flatMap((m) => sectionsOf(m.blocks)).join(' ');
    expect(all.replace(/\s+/g, ' ')).toBe(markdownToMrkdwn(text).replace(/\s+/g, ' '));
    for (const m of messages) {
      expect(m.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
      expect(sectionsOf(m.blocks).join('').length).toBeLessThanOrEqual(SLACK_LIMITS.messageText);
      expect(m.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
    }
    // Feedback and sources only once, at the end.
    expect(JSON.stringify(messages.at(-1))).toContain('feedback.up');
    expect(messages.slice(0, -1).some((m) => JSON.stringify(m).includes('feedback.up'))).toBe(false);
  });

  it('respects the limits for any text, sources and buttons (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 40_000 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 60 }),
        (text, nSources, nActions) => {
          const reply: Reply = {
            kind: 'answer',
            locale: 'en',
            text,
            sources: Array.from({ length: nSources }, (_, i) => ({ n: i + 1, id: `d${i}`, title: `Doc ${i}`, url: `https://intra.example.com/${i}`, kind: 'guide' as const })),
            actions: Array.from({ length: nActions }, (_, i) => ({ id: `a${i}`, label: `Button ${i}` })),
            answerId: 1,
          };
          for (const m of renderReply(reply, {}, NOW)) {
            if (m.blocks.length > SLACK_LIMITS.blocksPerMessage) return false;
            for (const b of m.blocks as AnyBlock[]) {
              if (b.type === 'section' && b.text!.text.length > SLACK_LIMITS.sectionText) return false;
              if (b.type === 'context' && b.elements!.length > SLACK_LIMITS.contextElements) return false;
              if (b.type === 'actions' && b.elements!.length > SLACK_LIMITS.actionsElements) return false;
            }
            if (sectionsOf(m.blocks).join('').length > SLACK_LIMITS.messageText) return false;
          }
          return true;
        },
      ),
      { numRuns: 150 },
    );
  });

  it('renders input fields inline when asked, and as a modal with metadata', () => {
    const reply: Reply = {
      kind: 'reflection',
      locale: 'en',
      title: 'A very long reflection title',
      text: 'What happened this week?',
      inputs: [{ id: 'experience', label: 'Experience', multiline: true, placeholder: 'One situation' }],
      actions: [{ id: 'reflect.submit', label: 'Next', value: '12', style: 'primary' }],
    };
    const [inline] = renderReply(reply, { inlineInputs: true }, NOW);
    const input = (inline!.blocks as AnyBlock[]).find((b) => b.type === 'input')!;
    expect(input).toMatchObject({ block_id: 'input:experience', element: { type: 'plain_text_input', action_id: 'experience', multiline: true } });
    const modal = renderModal(reply, '{"a":"reflect.submit","v":"12"}');
    expect(modal.title.text.length).toBeLessThanOrEqual(SLACK_LIMITS.modalTitle);
    expect(modal.submit!.text).toBe('Next');
    expect(modal.private_metadata).toBe('{"a":"reflect.submit","v":"12"}');
    expect(readInputs({ 'input:experience': { experience: { value: 'I led a review' } }, other: { x: { value: 'ignored' } } })).toEqual({ experience: 'I led a review' });
  });

  it('trailing blocks for a stream carry everything but the text', () => {
    const blocks = trailingBlocks(answer, NOW) as AnyBlock[];
    expect(blocks.some((b) => b.type === 'section' || b.type === 'header')).toBe(false);
    expect(JSON.stringify(blocks)).toContain('feedback.down');
  });
});

describe('splitText', () => {
  it('prefers paragraph boundaries and never exceeds the limit', () => {
    expect(splitText('aaaa\n\nbbbb', 6)).toEqual(['aaaa', 'bbbb']);
    fc.assert(
      fc.property(fc.string({ maxLength: 5000 }), fc.integer({ min: 10, max: 500 }), (s, max) => splitText(s, max).every((p) => p.length <= max)),
    );
  });
});

describe('renderHome', () => {
  const overview: ReflectionOverview = {
    enabled: true,
    weekday: 5,
    localTime: '16:00',
    timezone: 'Asia/Tokyo',
    pausedUntil: null,
    nextPromptAt: '2026-11-20T07:00:00.000Z',
    shareWithManager: false,
    recentEntries: [{ id: 1, createdAt: '2026-11-13T07:10:00.000Z', experience: 'Led a design review', lesson: 'Ask early <questions>', experiment: null, shared: false }],
    oneOnOnePreparations: [{ managerName: 'Kenji', at: '2026-11-18T01:00:00.000Z' }],
  };

  it('shows who Tsumiki is, next reflection, settings buttons, journal and 1on1 preparations', () => {
    const view = renderHome({ locale: 'en', isGuest: false, overview });
    expect(view.type).toBe('home');
    const json = JSON.stringify(view.blocks);
    expect(json).toContain('Friday at 16:00 (Asia/Tokyo)');
    expect(json).toContain('Next: Fri');
    expect(json).toContain('Ask early &lt;questions&gt;');
    expect(json).toContain('Kenji prepared a 1on1');
    const buttons = (view.blocks as AnyBlock[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements!);
    expect(buttons.map((b) => b.value)).toEqual(['schedule off', undefined, 'share on', 'reflect', 'journal', 'export']);
    // Settings run chat commands, and the day/time form opens from its own action.
    expect(buttons.map((b) => baseActionId(String(b.action_id)))).toEqual(['command', 'reflect.slot-form', 'command', 'command', 'command', 'command']);
  });

  it('in Japanese, for a guest: no sharing button and a note', () => {
    const view = renderHome({ locale: 'ja', isGuest: true, overview: { ...overview, enabled: false, oneOnOnePreparations: [], recentEntries: [] } });
    const json = JSON.stringify(view.blocks);
    expect(json).toContain('ふりかえりをオン');
    expect(json).not.toContain('share on');
    expect(json).toContain('組織データに登録されていない');
  });
});
