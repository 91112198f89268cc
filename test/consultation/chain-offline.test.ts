import { Document } from '@langchain/core/documents';
import { FakeListChatModel, FakeRetriever } from '@langchain/core/utils/testing';
import { buildPreparationChain } from '../../src/consultation/chain';
import { formatContext, hitFromDocument } from '../../src/consultation/context';
import { composeOfflineAnswer, matchedSkills } from '../../src/consultation/offline-answer';
import { loadConsultationPrompts } from '../../src/consultation/prompts';
import { sensitiveTopics } from '../../src/consultation/safety';
import type { Locale } from '../../src/core/types';

const prompts = loadConsultationPrompts();

const docs = [
  new Document({
    pageContent: 'AWS の主要サービスを学ぶ入門講座です。',
    metadata: { id: 'trn-001', kind: 'training', title: 'クラウド基礎 (AWS)', lang: 'ja', url: 'https://intra.example/trn-001', skills: ['AWS', 'クラウド'], format: 'online', hours: 12, level: '入門', chunkId: 'trn-001#0', score: 0.9 },
  }),
  new Document({
    pageContent: 'Demand forecasting team; Python required.',
    metadata: { id: 'pst-001', kind: 'posting', title: 'Data Scientist', lang: 'en', url: 'https://intra.example/pst-001', skills: ['Python', 'Machine Learning'], deadline: '2027-01-31', department: 'Data Science Office', chunkId: 'pst-001#0', score: 0.8 },
  }),
  new Document({
    pageContent: 'Spend two days with the product team.',
    metadata: { id: 'shd-001', kind: 'shadowing', title: 'Product team shadowing', lang: 'en', url: 'https://intra.example/shd-001', skills: ['Product Management'], chunkId: 'shd-001#0', score: 0.7 },
  }),
];

function preparation(rewriteModel?: FakeListChatModel) {
  const retriever = new FakeRetriever({ output: docs });
  const queries: string[] = [];
  const spy = retriever.withListeners({
    onStart: (run) => {
      queries.push(JSON.stringify(run.inputs));
    },
  });
  const chain = buildPreparationChain({ prompts, retriever: spy as never, rewriteModel, rewriteBudgetMs: 1000, contextTokenBudget: 2000, consultantContact: 'career@example.com' });
  return { chain, queries };
}

describe('preparation chain (fakes from @langchain/core/utils/testing)', () => {
  test('without history the question is searched as is, and the rewrite model is not called', async () => {
    const model = new FakeListChatModel({ responses: ['SHOULD NOT BE USED'] });
    const invoke = jest.spyOn(model, 'invoke');
    const { chain } = preparation(model);
    const out = await chain.invoke({ question: 'AWS を学びたい', history: [], locale: 'ja', sensitive: false });
    expect(out.query).toBe('AWS を学びたい');
    expect(invoke).not.toHaveBeenCalled();
    expect(out.context.sources.map((s) => s.n)).toEqual([1, 2, 3]);
    const system = out.messages[0]!;
    expect(system._getType()).toBe('system');
    expect(system.content).toContain('[1] クラウド基礎 (AWS)');
    expect(system.content).toContain('career@example.com');
    expect(out.messages.at(-1)!.content).toBe('AWS を学びたい');
  });

  test('a follow-up is rewritten into a stand-alone query from the history', async () => {
    const model = new FakeListChatModel({ responses: ['データサイエンティストの社内公募の勤務地'] });
    const { chain, queries } = preparation(model);
    const out = await chain.invoke({
      question: 'それは東京ですか',
      history: [
        { role: 'user', content: 'データサイエンティストの公募はありますか' },
        { role: 'assistant', content: 'はい、あります [1]。' },
      ],
      locale: 'ja',
      sensitive: false,
    });
    expect(out.query).toBe('データサイエンティストの社内公募の勤務地');
    expect(queries.at(-1)).toContain('データサイエンティストの社内公募の勤務地');
    expect(out.messages.map((m) => m._getType())).toEqual(['system', 'human', 'ai', 'human']);
  });

  test('without a model a follow-up is searched together with the previous question', async () => {
    const { chain } = preparation(undefined);
    const out = await chain.invoke({ question: 'and in Osaka?', history: [{ role: 'user', content: 'Data scientist postings' }, { role: 'assistant', content: 'x' }], locale: 'en', sensitive: false });
    expect(out.query).toBe('Data scientist postings\nand in Osaka?');
    expect(out.messages[0]!.content).toContain('Answer in English');
  });

  test('a sensitive topic tells the model the referral is already shown', async () => {
    const { chain } = preparation(undefined);
    const out = await chain.invoke({ question: 'I am bullied by my lead', history: [], locale: 'en', sensitive: true });
    expect(out.messages[0]!.content).toContain(prompts.safety.modelNote.en);
  });
});

const PROMISE = /必ず|確実に|異動できます|昇進できます|合格します|保証|guarantee|you will (be|get) (promoted|transferred|selected)|will definitely/i;

function offline(question: string, locale: Locale, extra: Partial<Parameters<typeof composeOfflineAnswer>[0]> = {}) {
  const hits = docs.map((d, i) => hitFromDocument(d, i)!);
  const context = formatContext(hits, 2000);
  return composeOfflineAnswer(
    { question, locale, sources: context.sources, sensitive: sensitiveTopics(question, prompts), consultantContact: 'career@example.com', offlineNotice: false, faultNotice: false, ...extra },
    prompts,
  );
}

function questionCount(text: string): number {
  return (text.match(/[?？]/g) ?? []).length;
}

describe('offline answers: the coaching stance', () => {
  test.each([
    ['入社5年目のSEです。最近仕事がマンネリです', 'ja'],
    ['How do I move into product management?', 'en'],
    ['AWS を学んで異動したい。必ず異動できますか', 'ja'],
  ] as const)('%s → acknowledges, lists experiences with reasons, asks exactly one question, promises nothing', (question, locale) => {
    const answer = offline(question, locale);
    expect(answer.text.split('\n\n')[0]).toBe(prompts.offline[locale].acknowledge);
    expect(questionCount(answer.text)).toBe(1);
    expect(answer.text.trim()).toMatch(/[?？]$/);
    expect(answer.text).not.toMatch(PROMISE);
    expect(answer.text).toContain('[クラウド基礎 (AWS)](https://intra.example/trn-001)');
    expect(answer.text).toMatch(locale === 'ja' ? /締切 2027-01-31/ : /deadline 2027-01-31/);
    expect(answer.text).toMatch(locale === 'ja' ? /オンライン・12時間/ : /online · 12 h/);
    expect(answer.text).toMatch(locale === 'ja' ? /ジョブシャドウイング/ : /Job shadowing/);
    expect(answer.sources.map((s) => s.id)).toEqual(['trn-001', 'pst-001', 'shd-001']);
    const allQuestions = [...prompts.reflective.general[locale], ...Object.values(prompts.reflective.byKind).map((q) => q[locale])];
    expect(allQuestions.some((q) => answer.text.endsWith(q))).toBe(true);
  });

  test('matched skills explain why a document matches', () => {
    expect(matchedSkills('AWS を学びたい', hitFromDocument(docs[0]!, 0)!.document)).toEqual(['AWS']);
    expect(offline('AWS を学びたい', 'ja').text).toContain('スキル「AWS」が関係します');
  });

  test.each([
    ['最近眠れなくて、仕事がつらいです', 'ja', 'distress'],
    ['上司からパワハラを受けています', 'ja', 'harassment'],
    ['I am on sick leave and worried about my career', 'en', 'health'],
  ] as const)('%s → the human consultants come first', (question, locale, topic) => {
    expect(sensitiveTopics(question, prompts)).toContain(topic);
    const answer = offline(question, locale);
    const first = answer.text.split('\n\n')[0]!;
    expect(first).toContain('career@example.com');
    expect(answer.text.trim().endsWith(prompts.reflective.sensitive[locale])).toBe(true);
    expect(questionCount(answer.text)).toBe(1);
  });

  test('ordinary career words are not taken for distress', () => {
    expect(sensitiveTopics('I want to move into healthcare product management, fundamentally', prompts)).toEqual([]);
    expect(sensitiveTopics('来年は企画の仕事をするつもりです', prompts)).toEqual([]);
  });

  test('the notices say once that generation is off, or that the model failed', () => {
    expect(offline('x', 'en', { offlineNotice: true }).text).toContain(prompts.offline.en.offline_notice);
    expect(offline('x', 'ja', { faultNotice: true }).text).toContain(prompts.offline.ja.fault_notice);
  });

  test('with nothing found it says so and still asks one question', () => {
    const answer = composeOfflineAnswer(
      { question: 'zzz', locale: 'en', sources: [], sensitive: [], consultantContact: 'career@example.com', offlineNotice: false, faultNotice: false },
      prompts,
    );
    expect(answer.text).toContain('career@example.com');
    expect(answer.sources).toEqual([]);
    expect(questionCount(answer.text)).toBe(1);
  });
});
