/**
 * The reflection commands and dialogue through the router, as a person sees them: settings and
 * their errors, the four steps with skip and stop, one-message answers (split by the model or kept
 * whole offline), the journal with edit, delete and share, and privacy between people.
 */
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/fake-openai';
import { recordNoticeShown } from '../../src/privacy/purpose-notice';
import { reflectionOverview } from '../../src/reflections/overview';
import type { Reply } from '../../src/core/types';
import { makeTestCore, type TestCore } from '../helpers/test-core';

const ORG = ['E001,Aoi Sato,aoi@example.com,,U0AAAA001,,Asia/Tokyo,ja', 'E002,Ben Miller,ben@example.com,,U0AAAA002,,Europe/London,en'].join('\n');

let now: Date;
let core: TestCore;

function setup(env: Record<string, string> = {}): TestCore {
  now = new Date('2026-11-18T03:00:00Z'); // Wednesday
  core = makeTestCore(env, { clock: () => now });
  core.importOrg(ORG);
  for (const id of ['E001', 'E002']) recordNoticeShown(core.db, core.actors.forEmployee(id).personId, now);
  return core;
}

const dm = (employeeId: string, text: string) => {
  const actor = core.actors.forEmployee(employeeId);
  return core.router.handle({ actor, surface: 'dm', threadKey: `dm:${actor.personId}`, text });
};
const slash = (employeeId: string, text: string) => {
  const actor = core.actors.forEmployee(employeeId);
  return core.router.handle({ actor, surface: 'command', threadKey: `cmd:${actor.personId}`, text });
};
const click = (employeeId: string, id: string, value?: string, inputs?: Record<string, string>) => {
  const actor = core.actors.forEmployee(employeeId);
  return core.router.handle({ actor, surface: 'dm', threadKey: `dm:${actor.personId}`, action: { id, value, inputs } });
};
const texts = (replies: Reply[]) => replies.map((r) => `${r.title ?? ''}\n${r.text}`).join('\n---\n');

afterEach(async () => {
  await core.close();
});

describe('schedule settings', () => {
  beforeEach(() => setup());

  test('shows the settings with the next prompt in the person’s zone, and changes the slot', async () => {
    const off = await dm('E001', 'schedule');
    expect(off[0]!.text).toContain('**オフ**');
    expect(off[0]!.actions?.[0]).toMatchObject({ id: 'command', value: 'schedule on' });

    await dm('E001', 'schedule on');
    const on = await dm('E001', 'schedule');
    expect(on[0]!.text).toContain('金曜日 16:00(タイムゾーン: Asia/Tokyo)');
    expect(on[0]!.text).toContain('2026年11月20日(金) 16:00');

    const changed = await dm('E001', 'schedule 月 9:30');
    expect(changed[0]!.text).toContain('月曜日 09:30');
    expect(changed[0]!.text).toContain('2026年11月23日(月) 09:30');

    const overview = reflectionOverview(core.db, core.actors.forEmployee('E001').personId, { defaultTimezone: 'Asia/Tokyo', now });
    expect(overview).toMatchObject({ enabled: true, weekday: 1, localTime: '09:30', nextPromptAt: '2026-11-23T00:30:00.000Z' });
  });

  test('bad day, time and zone get a clear message with an example, in the person’s language', async () => {
    expect((await slash('E002', 'schedule fryday 16:00'))[0]!.text).toMatch(/could not read “fryday” as a day.*schedule fri 16:00/);
    expect((await slash('E002', 'schedule fri 25:00'))[0]!.text).toMatch(/could not read “25:00” as a time.*24-hour/);
    expect((await slash('E002', 'schedule fri 4pm'))[0]!.text).toContain('as a time');
    expect((await slash('E002', 'schedule tz Mars/Olympus'))[0]!.text).toContain('schedule tz Europe/London');
    expect((await slash('E002', 'schedule sometime'))[0]!.text).toContain('schedule fri 16:00');
    expect((await slash('E001', 'schedule 金曜 16時'))[0]!.text).toContain('時刻として読めませんでした');
  });

  test('"schedule a meeting…" in a DM stays a question for the consultation', async () => {
    const replies = await dm('E002', 'schedule a meeting with my manager about a promotion?');
    expect(replies.some((r) => r.kind === 'settings')).toBe(false);
    expect(replies.some((r) => /could not read/.test(r.text))).toBe(false);
  });

  test('the time zone can be changed and moves the next prompt', async () => {
    await dm('E002', 'schedule on');
    const replies = await dm('E002', 'schedule tz America/New_York');
    expect(replies[0]!.text).toContain('America/New_York');
    const overview = reflectionOverview(core.db, core.actors.forEmployee('E002').personId, { defaultTimezone: 'Asia/Tokyo', now });
    expect(overview.nextPromptAt).toBe('2026-11-20T21:00:00.000Z');
  });

  test('pause needs a readable period; resume says when the next prompt comes', async () => {
    await dm('E002', 'schedule on');
    expect((await slash('E002', 'pause soon'))[0]!.text).toContain('pause 2w');
    expect((await dm('E002', 'pause 2026-12-31'))[0]!.text).toContain('paused until 2026-12-31');
    expect(reflectionOverview(core.db, core.actors.forEmployee('E002').personId, { defaultTimezone: 'Asia/Tokyo', now }).nextPromptAt).toBe('2027-01-01T16:00:00.000Z');
    expect((await dm('E002', 'resume'))[0]!.text).toContain('Fri 20 Nov 2026, 16:00');
    expect((await dm('E002', 'pause 2020-01-01'))[0]!.kind).toBe('error');
  });
});

describe('the dialogue', () => {
  beforeEach(() => setup());

  test('walks 経験 → 内省 → 持論化 → 試行 one step at a time and saves a private entry', async () => {
    const first = await dm('E001', 'reflect');
    expect(first[0]!.title).toBe('ふりかえり 1/4 — 経験');
    expect(first[0]!.inputs?.[0]?.id).toBe('answer');
    expect(first[0]!.actions?.map((a) => a.id)).toEqual(['reflect.answer', 'reflect.skip', 'reflect.stop']);
    expect((await dm('E001', '新しい顧客への提案を初めて一人で担当した'))[0]!.title).toBe('ふりかえり 2/4 — 内省');
    expect((await dm('E001', 'スキップ'))[0]!.title).toBe('ふりかえり 3/4 — 持論化');
    // A Teams card submit answers the step too.
    const lessonStep = (await dm('E001', 'reflect'))[0]!;
    const lessonValue = lessonStep.actions![0]!.value!;
    expect((await click('E001', 'reflect.answer', lessonValue, { answer: '提案は相手の課題の言葉で書く' }))[0]!.title).toBe('ふりかえり 4/4 — 試行');
    // The same button pressed twice is stale, and says so.
    expect((await click('E001', 'reflect.answer', lessonValue, { answer: 'again' }))[0]!.text).toContain('回答済み');
    const saved = await dm('E001', '来週の提案で最初に課題を確認する');
    expect(saved[0]!.title).toBe('ふりかえりを保存しました');
    expect(saved[0]!.text).toContain('**持論**: 提案は相手の課題の言葉で書く');
    // The session is over: the next DM is a consultation again.
    const after = await dm('E001', 'キャリアについて相談したいです');
    expect(after.some((r) => r.kind === 'reflection')).toBe(false);

    const entry = core.db.prepare('SELECT * FROM journal_entries').get() as Record<string, unknown>;
    expect(entry).toMatchObject({ experience: '新しい顧客への提案を初めて一人で担当した', reflection: null, lesson: '提案は相手の課題の言葉で書く', shared: 0 });
    expect(JSON.parse(entry.themes as string).length).toBeGreaterThan(0);
  });

  test('during a step, commands still run, but an answer starting with "Ask" is an answer', async () => {
    await dm('E002', 'reflect');
    expect((await dm('E002', 'journal'))[0]!.title).toBe('Reflection journal');
    expect((await dm('E002', 'Ask for feedback right after the demo'))[0]!.title).toBe('Reflection 2/4 — Reflection');
    expect(core.db.prepare('SELECT experience FROM journal_entries').get()).toEqual({ experience: 'Ask for feedback right after the demo' });
  });

  test('stop keeps what was written; with nothing written, no entry is left', async () => {
    await dm('E002', 'reflect');
    expect((await dm('E002', 'stop'))[0]!.text).toContain('nothing was recorded');
    expect(core.db.prepare('SELECT COUNT(*) AS n FROM journal_entries').get()).toEqual({ n: 0 });
    await dm('E002', 'reflect');
    await dm('E002', 'I ran my first retrospective for the team.');
    expect((await dm('E002', 'stop'))[0]!.text).toContain('saved what you wrote');
    expect((await dm('E002', 'journal')).map((r) => r.text).join('\n')).toContain('I ran my first retrospective');
  });

  test('offline, an answer written in one message is kept whole as the experience', async () => {
    await dm('E002', 'reflect');
    const whole =
      'This week I presented the migration plan to the architecture board for the first time. My lead said my slides were too dense. ' +
      'Lesson: start with the decision you need. Next week I will open with the ask.';
    const next = await dm('E002', whole);
    expect(next[0]!.title).toBe('Reflection 2/4 — Reflection');
    const entry = core.db.prepare('SELECT experience, lesson FROM journal_entries').get();
    expect(entry).toEqual({ experience: whole, lesson: null });
  });
});

describe('one-message answers with a model', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI({
      reply: JSON.stringify({
        experience: 'Presented the migration plan to the architecture board',
        reflection: 'My lead said the slides were too dense',
        lesson: 'Start with the decision you need',
        experiment: null,
        themes: ['presentation', 'architecture'],
      }),
    });
  });
  afterAll(async () => {
    await fake.close();
  });

  test('is split by the model into the steps, and only the missing step is asked', async () => {
    setup({ OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'test-key', TSUMIKI_LLM_MAX_RETRIES: '0' });
    await dm('E002', 'reflect');
    const next = await dm('E002', 'This week I presented the migration plan to the architecture board. My lead said the slides were too dense. Lesson: start with the decision you need.');
    expect(next[0]!.title).toBe('Reflection 4/4 — Experiment');
    expect(next[0]!.text).toContain('recorded it step by step');
    const entry = core.db.prepare('SELECT experience, reflection, lesson, experiment, themes FROM journal_entries').get();
    expect(entry).toEqual({
      experience: 'Presented the migration plan to the architecture board',
      reflection: 'My lead said the slides were too dense',
      lesson: 'Start with the decision you need',
      experiment: null,
      themes: '["presentation","architecture"]',
    });
  });
});

describe('the journal', () => {
  beforeEach(() => setup());

  async function writeEntry(employeeId: string, experience: string): Promise<number> {
    await dm(employeeId, 'reflect');
    await dm(employeeId, experience);
    await dm(employeeId, 'stop');
    return (core.db.prepare('SELECT MAX(id) AS id FROM journal_entries').get() as { id: number }).id;
  }

  test('lists entries with edit, share and delete; delete asks first', async () => {
    const id = await writeEntry('E001', '初めて採用面接の面接官をした');
    const journal = await dm('E001', 'journal');
    expect(journal[0]!.title).toBe('ふりかえりジャーナル');
    expect(journal[1]!.text).toContain('初めて採用面接の面接官をした');
    expect(journal[1]!.actions?.map((a) => a.id)).toEqual(['journal.edit', 'journal.share', 'journal.delete']);

    const edit = await click('E001', 'journal.edit', String(id));
    expect(edit[0]!.inputs?.find((i) => i.id === 'experience')?.initial).toBe('初めて採用面接の面接官をした');
    await click('E001', 'journal.save', String(id), { experience: '初めて採用面接の面接官をした', lesson: '質問は事前に決めておく' });
    expect((await dm('E001', 'journal'))[1]!.text).toContain('質問は事前に決めておく');

    expect((await click('E001', 'journal.share', String(id)))[0]!.text).toContain('共有しました');
    expect((core.db.prepare('SELECT shared FROM journal_entries WHERE id = ?').get(id) as { shared: number }).shared).toBe(1);
    expect((await dm('E001', 'journal'))[1]!.actions?.[1]?.id).toBe('journal.unshare');
    await click('E001', 'journal.unshare', String(id));
    expect((core.db.prepare('SELECT shared FROM journal_entries WHERE id = ?').get(id) as { shared: number }).shared).toBe(0);

    const confirm = await click('E001', 'journal.delete', String(id));
    expect(confirm[0]!.kind).toBe('confirm');
    expect(core.db.prepare('SELECT COUNT(*) AS n FROM journal_entries').get()).toEqual({ n: 1 });
    await click('E001', 'journal.delete.confirm', String(id));
    expect(core.db.prepare('SELECT COUNT(*) AS n FROM journal_entries').get()).toEqual({ n: 0 });
    expect((await dm('E001', 'journal'))[0]!.text).toContain('まだ空です');
  });

  test('one person can neither see, edit, share nor delete another’s entry', async () => {
    const id = await writeEntry('E001', '秘密のふりかえり');
    expect(texts(await dm('E002', 'journal'))).not.toContain('秘密');
    for (const action of ['journal.edit', 'journal.save', 'journal.share', 'journal.delete.confirm']) {
      const replies = await click('E002', action, String(id), { experience: 'hacked' });
      expect(replies[0]!.text).toContain('could not find that entry');
    }
    expect(core.db.prepare('SELECT experience, shared FROM journal_entries WHERE id = ?').get(id)).toEqual({ experience: '秘密のふりかえり', shared: 0 });
    // Nor answer their open reflection step.
    await dm('E001', 'reflect');
    const step = (await dm('E001', 'reflect'))[0]!;
    expect((await click('E002', 'reflect.answer', step.actions![0]!.value, { answer: 'x' }))[0]!.text).toContain('already answered');
  });
});
