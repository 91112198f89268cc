/** The curated bank and the offline choice: enough questions, both languages, themes, no repeats. */
import { CATEGORIES, chooseFromBank, loadQuestionBank, themeKeysIn, type SelectionInput } from '../../src/oneonone/question-bank';

const bank = loadQuestionBank();
const input = (over: Partial<SelectionInput> = {}): SelectionInput => ({ sharedText: [], recent: [], locale: 'ja', ...over });

test('the bank has at least 40 questions in Japanese and English, at least 7 per category', () => {
  expect(bank.questions.length).toBeGreaterThanOrEqual(40);
  for (const category of CATEGORIES) {
    expect(bank.questions.filter((q) => q.category === category).length).toBeGreaterThanOrEqual(7);
  }
  for (const q of bank.questions) {
    expect(q.ja).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    expect(q.en).toMatch(/^[^\u3040-\u30ff]*(\{lesson\}|\{theme\})?[^\u3040-\u30ff]*$/);
    expect(q.ja.trim().endsWith('?') || q.ja.trim().endsWith('?') || q.ja.trim().endsWith('。')).toBe(true);
  }
});

test('without shared themes: one general question per category, five in all', () => {
  const chosen = chooseFromBank(bank, input());
  expect(chosen.questions.map((q) => q.category)).toEqual([...CATEGORIES]);
  expect(chosen.questions.every((q) => !q.text.includes('{'))).toBe(true);
  expect(chosen.opening.text.length).toBeGreaterThan(10);
});

test('shared themes pick matching questions and add up to two more (5–7 in all)', () => {
  const chosen = chooseFromBank(bank, input({ sharedText: ['顧客', 'お客様との商談で学んだ'], locale: 'en' }));
  expect(chosen.questions.length).toBeGreaterThanOrEqual(5);
  expect(chosen.questions.length).toBeLessThanOrEqual(7);
  expect(chosen.questions.filter((q) => q.matchedThemes.includes('customer')).length).toBeGreaterThanOrEqual(3);
});

test('a shared lesson is quoted once, not in every question', () => {
  const lesson = 'ask before assuming';
  const chosen = chooseFromBank(bank, input({ sharedText: [lesson], lesson, theme: 'customers', locale: 'en' }));
  expect(chosen.questions.filter((q) => q.text.includes(`“${lesson}”`))).toHaveLength(1);
  expect(chosen.questions.filter((q) => q.text.includes('“customers”'))).toHaveLength(1);
});

test('a very long lesson is shortened in the quote', () => {
  const lesson = 'あ'.repeat(200);
  const chosen = chooseFromBank(bank, input({ sharedText: [lesson], lesson }));
  const quoted = chosen.questions.find((q) => q.text.includes('ああ'))!;
  expect(quoted.text).toContain(`${'あ'.repeat(60)}…`);
});

test('consecutive requests do not repeat questions while the bank allows', () => {
  for (const sharedText of [[], ['顧客', 'リーダー', '挑戦']]) {
    const recent: string[][] = [];
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const chosen = chooseFromBank(bank, input({ sharedText, recent }));
      for (const q of chosen.questions) {
        expect(seen.has(q.id)).toBe(false);
        seen.add(q.id);
      }
      recent.unshift([...chosen.questions.map((q) => q.id), chosen.opening.id]);
    }
  }
});

test('when a category is exhausted, the least recently suggested question comes back first', () => {
  const history = bank.questions.filter((q) => q.category === 'history' && !q.needs).map((q) => q.id);
  // Every history question was suggested, one per request, the first one longest ago.
  const recent = [...history].reverse().map((id) => [id]);
  const chosen = chooseFromBank(bank, input({ recent }));
  expect(chosen.questions.find((q) => q.category === 'history')!.id).toBe(history[0]);
});

test('theme words are found in both languages, case- and width-insensitively', () => {
  expect([...themeKeysIn(bank, ['Leading a CROSS-TEAM project'])]).toEqual(expect.arrayContaining(['leadership', 'collaboration']));
  expect([...themeKeysIn(bank, ['ＡＷＳの資格を取った'])]).toContain('skills');
  expect(themeKeysIn(bank, ['']).size).toBe(0);
});
