/**
 * The suggestions a manager sees: model-generated when a model answers well, the curated bank on
 * any model failure, in the manager's language, varying from one 1on1 to the next.
 */
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/fake-openai';
import type { TestCore } from '../helpers/test-core';
import { insertJournal, MODEL_QUESTIONS, oneOnOneCore, oneonone, questionLines, setShare, SHARED_LESSON, visible } from './fixtures';

const GOOD = {
  opening: 'Start by asking what she would like to talk about today.',
  questions: [
    ...MODEL_QUESTIONS,
    { category: 'learning', text: 'Which feedback from customers surprised you recently?' },
  ],
};

describe('with a model', () => {
  let fake: FakeOpenAI;
  let core: TestCore;
  beforeEach(async () => {
    fake = await startFakeOpenAI({ reply: JSON.stringify(GOOD) });
    core = await oneOnOneCore({ OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'test-key', TSUMIKI_LLM_TIMEOUT_MS: '1500', TSUMIKI_LLM_MAX_RETRIES: '1' });
    setShare(core, 'A', true);
    insertJournal(core, 'A', { lesson: SHARED_LESSON, themes: ['顧客'] });
  });
  afterEach(async () => {
    await core.close();
    await fake.close();
  });

  test('a good answer is shown grouped by category, labelled as generated, with the opening and citations', async () => {
    const reply = oneonone(await core.ask('M1', '1on1 Hanako Sato'));
    expect(reply.generated).toBe(true);
    expect(reply.locale).toBe('en');
    expect(questionLines(reply)).toEqual(GOOD.questions.map((q) => q.text));
    for (const heading of ['**Where they came from**', '**Where they are now**', '**Where they are heading**', '**What the work means for them**', '**Learning from experience**']) {
      expect(reply.text).toContain(heading);
    }
    expect(reply.text).toContain('**How to open**\nStart by asking what she would like to talk about today.');
    expect(reply.sources?.length).toBeGreaterThanOrEqual(1);
    expect(reply.text).not.toContain('Offline mode');
  });

  test('a model failure (HTTP 500 twice) falls back to the bank and says so', async () => {
    fake.setBehaviour({ faults: [{ kind: 'status', status: 500 }, { kind: 'status', status: 500 }] });
    const reply = oneonone(await core.ask('M1', '1on1 Hanako Sato'));
    expect(reply.generated).toBeFalsy();
    expect(questionLines(reply).length).toBeGreaterThanOrEqual(5);
    expect(reply.text).toContain('The language model did not answer');
    expect(fake.chatRequests()).toHaveLength(2); // one retry, then the bank
  });

  test('a model that does not answer in time falls back to the bank within the budget', async () => {
    fake.setBehaviour({ faults: [{ kind: 'delay', ms: 5000 }, { kind: 'delay', ms: 5000 }] });
    const started = Date.now();
    const reply = oneonone(await core.ask('M1', '1on1 Hanako Sato'));
    expect(Date.now() - started).toBeLessThan(4000);
    expect(reply.generated).toBeFalsy();
    expect(questionLines(reply).length).toBeGreaterThanOrEqual(5);
  });

  test.each([
    ['prose instead of JSON', 'Here are some great questions: 1. How are you?'],
    ['too few questions', JSON.stringify({ opening: 'Hi', questions: GOOD.questions.slice(0, 2) })],
    ['an unknown category', JSON.stringify({ ...GOOD, questions: GOOD.questions.map((q) => ({ ...q, category: 'gossip' })) })],
  ])('an unusable answer (%s) falls back to the bank', async (_what, answer) => {
    fake.setBehaviour({ reply: answer });
    const reply = oneonone(await core.ask('M1', '1on1 Hanako Sato'));
    expect(reply.generated).toBeFalsy();
    expect(questionLines(reply).length).toBeGreaterThanOrEqual(5);
  });

  test('a category the model left out is filled from the bank; links in model text are removed', async () => {
    const answer = {
      opening: 'Open gently. [Click here](https://evil.example/phish)',
      questions: [
        { category: 'history', text: 'What shaped you? See https://evil.example/x' },
        { category: 'present', text: 'How does work feel now?' },
        { category: 'present', text: 'What would you change in your week?' },
        { category: 'future', text: 'Where are you heading?' },
        { category: 'meaning', text: 'What does this project mean for you?' },
      ],
    };
    fake.setBehaviour({ reply: '```json\n' + JSON.stringify(answer) + '\n```' });
    const reply = oneonone(await core.ask('M1', '1on1 Hanako Sato'));
    expect(reply.generated).toBe(true);
    expect(reply.text).not.toContain('evil.example');
    expect(reply.text).toContain('**Learning from experience**');
    expect(questionLines(reply)).toHaveLength(6);
  });

  test('the next request tells the model what was suggested last time, and repeats are dropped', async () => {
    await core.ask('M1', '1on1 Hanako Sato');
    const second = oneonone(await core.ask('M1', '1on1 Hanako Sato'));
    const body = JSON.stringify(fake.chatRequests()[1]!.body);
    expect(body).toContain('Which customer conversation shaped how you work today?');
    // The fake model repeats itself: repeated questions are replaced from the bank.
    for (const q of GOOD.questions) expect(questionLines(second)).not.toContain(q.text);
    expect(questionLines(second).length).toBeGreaterThanOrEqual(5);
  });

  test('the prompt asks for the manager’s language (Japanese for a Japanese-speaking HR)', async () => {
    await core.ask('HR1', '1on1 Hanako Sato');
    expect(JSON.stringify(fake.chatRequests()[0]!.body)).toContain('Language of every text: Japanese');
  });
});

describe('offline', () => {
  let core: TestCore;
  beforeEach(async () => {
    core = await oneOnOneCore();
  });
  afterEach(async () => {
    await core.close();
  });

  test('three consecutive 1on1s about the same member share no question; the record keeps what was suggested', async () => {
    setShare(core, 'A', true);
    insertJournal(core, 'A', { lesson: SHARED_LESSON, themes: ['顧客', '挑戦'] });
    const seen = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const lines = questionLines(oneonone(await core.ask('M1', '1on1 Hanako Sato')));
      expect(lines.length).toBeGreaterThanOrEqual(5);
      expect(lines.length).toBeLessThanOrEqual(7);
      for (const line of lines) {
        expect(seen.has(line)).toBe(false);
        seen.add(line);
      }
    }
    const rows = core.db.prepare('SELECT suggested FROM oneonone_requests ORDER BY id').all() as Array<{ suggested: string }>;
    expect(rows).toHaveLength(3);
    expect(JSON.parse(rows[0]!.suggested)).toEqual(expect.arrayContaining([expect.stringMatching(/^[a-z]+-\d+$/)]));
  });

  test('HR and the direct manager share the member’s history: HR does not get the manager’s questions again', async () => {
    const first = questionLines(oneonone(await core.ask('M1', '1on1 Hanako Sato')));
    const hr = questionLines(oneonone(await core.ask('HR1', '1on1 Hanako Sato')));
    expect(hr.length).toBe(first.length);
    // Different languages, so compare the records.
    const rows = core.db.prepare('SELECT suggested FROM oneonone_requests ORDER BY id').all() as Array<{ suggested: string }>;
    const [a, b] = rows.map((r) => new Set(JSON.parse(r.suggested) as string[]));
    expect([...a!].filter((id) => b!.has(id))).toEqual([]);
  });

  test('a Japanese-speaking manager gets Japanese suggestions with the 来歴・現在・将来 headings', async () => {
    const reply = oneonone(await core.ask('HR1', '1on1 Taro Yamada'));
    expect(reply.locale).toBe('ja');
    expect(reply.title).toBe('Taro Yamadaさんとの1on1の準備');
    for (const heading of ['**来歴**', '**現在**', '**将来**', '**仕事の意味づけ**', '**経験学習**', '**切り出し方**']) expect(reply.text).toContain(heading);
    expect(reply.text).toContain('オフラインモード');
    expect(reply.text).toContain('本人にも表示されます');
  });

  test('with nothing shared the opportunities are general, still cited, and closed postings are left out', async () => {
    const reply = oneonone(await core.ask('M1', '1on1 Hanako Sato'));
    const ids = reply.sources?.map((s) => s.id) ?? [];
    expect(ids.length).toBeGreaterThanOrEqual(1);
    expect(ids.length).toBeLessThanOrEqual(3);
    expect(ids).not.toContain('pst-901'); // its deadline has passed
    expect(ids).not.toContain('gde-901'); // a guide, not an opportunity
    expect(visible([reply])).not.toContain('締切済み');
  });
});
