/**
 * The consultation end to end through the router, with the real `@langchain/openai` client talking
 * HTTP to the fake OpenAI server, and the real knowledge base over the sample corpus in `data/`.
 */
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main';
import type { Reply, Turn, TurnObserver } from '../../src/core/types';
import { startFakeOpenAI, type ChatRequestBody, type FakeOpenAI } from '../fakes/fake-openai';
import { makeTestCore, type TestCore } from '../helpers/test-core';

const CONTACT = 'career-desk@hoshizora.example';
const EVIL = 'https://evil.example/phish';

/** A model reply that cites [1], links to document [1] and to a foreign site, and asks one question. */
function replyFor(body: ChatRequestBody): string {
  const system = String(body.messages?.[0]?.content ?? '');
  if (!system.includes('URL:')) return 'rewritten stand-alone question about data science postings';
  const url = /URL: (\S+)/.exec(system)?.[1] ?? '';
  return system.includes('Answer in English')
    ? `It sounds like you want a new challenge. The training [1] is a concrete first step; see [the page](${url}) and ${EVIL} for more. Which part of your current work would you like to stretch?`
    : `新しい挑戦を考えていらっしゃるのですね。まずは研修 [1] が具体的な一歩になります。詳しくは [こちら](${url}) や ${EVIL} をご覧ください。今の仕事のどの部分を伸ばしたいですか?`;
}

function answerOf(replies: Reply[]): Reply {
  const answer = replies.find((r) => r.kind === 'answer');
  if (!answer) throw new Error(`no answer in ${JSON.stringify(replies)}`);
  return answer;
}

interface Harness {
  core: TestCore;
  fake: FakeOpenAI;
}

async function online(env: Record<string, string> = {}): Promise<Harness> {
  const fake = await startFakeOpenAI({ reply: replyFor });
  const core = makeTestCore({
    OPENAI_BASE_URL: fake.url,
    OPENAI_API_KEY: 'sk-fake-test',
    OPENAI_MODEL: 'gpt-4o-mini',
    // Generous enough for a loaded CI machine; the fault tests below delay well past it.
    TSUMIKI_LLM_TIMEOUT_MS: '2000',
    TSUMIKI_LLM_MAX_RETRIES: '2',
    TSUMIKI_CAREER_CONSULTANT_CONTACT: CONTACT,
    ...env,
  });
  await core.knowledge.ingest('data');
  return { core, fake };
}

let threadCounter = 0;
async function say(core: TestCore, employeeId: string, text: string, options: { surface?: Turn['surface']; thread?: string; observer?: TurnObserver } = {}): Promise<Reply[]> {
  const actor = core.actor(employeeId);
  return core.router.handle({ actor, surface: options.surface ?? 'dm', threadKey: options.thread ?? `t${++threadCounter}`, text }, options.observer ?? {});
}

describe('consultation over HTTP with a model', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await online();
    h.core.importOrg(
      [
        'E100,Sato Hanako,hanako.sato@hoshizora.example,,U100,,Asia/Tokyo,ja',
        'E200,Tanaka Taro,taro.tanaka@hoshizora.example,E100,U200,,Asia/Tokyo,ja',
      ].join('\n'),
    );
    const tanaka = h.core.people.byEmployeeId('E200')!;
    h.core.db.prepare('INSERT INTO journal_entries (person_id, experience, shared) VALUES (?, ?, 0)').run(tanaka.id, 'UNSHARED-JOURNAL: thinking about leaving next month');
  });
  afterAll(async () => {
    await h.core.close();
    await h.fake.close();
  });
  beforeEach(() => h.fake.setBehaviour({ faults: [], firstTokenDelayMs: 0, tokenDelayMs: 0 }));

  test('streams tokens in order; the final answer is generated, cites real documents and has no foreign link', async () => {
    const tokens: string[] = [];
    const statuses: string[] = [];
    const replies = await say(h.core, 'E100', '入社5年目のSEです。クラウドの仕事に挑戦したいです', {
      observer: { onToken: (t) => void tokens.push(t), onStatus: (s) => void statuses.push(s) },
    });
    const answer = answerOf(replies);
    expect(statuses).toEqual(['考えています…']);
    expect(answer.generated).toBe(true);
    expect(answer.locale).toBe('ja');
    expect(tokens.length).toBeGreaterThan(2);
    expect(answer.text.startsWith(tokens.join('').trim())).toBe(true);
    expect(tokens.join('')).not.toContain('evil.example');
    expect(answer.text).not.toContain('evil.example');
    expect(answer.sources).toHaveLength(1);
    const cited = answer.sources![0]!;
    expect(cited.n).toBe(1);
    const doc = h.core.knowledge.getDocument(cited.id)!;
    expect(doc.url).toBe(cited.url);
    expect(doc.title).toBe(cited.title);
    expect(answer.text).toContain(`[こちら](${cited.url})`);
    const row = h.core.db.prepare('SELECT answer, sources, generated FROM answers WHERE id = ?').get(answer.answerId) as { answer: string; sources: string; generated: number };
    expect(row.generated).toBe(1);
    expect(JSON.parse(row.sources)).toEqual([{ n: 1, id: cited.id }]);
    expect(answer.actions?.map((a) => [a.id, a.value])).toEqual([
      ['feedback.up', String(answer.answerId)],
      ['feedback.down', String(answer.answerId)],
    ]);
  });

  test('the answer request streams (SSE) and carries the system prompt, the retrieved context and the question, no personal data', async () => {
    const before = h.fake.chatRequests().length;
    await say(h.core, 'E100', 'AWS を学んでクラウドの仕事をしたいです');
    const requests = h.fake.chatRequests().slice(before);
    expect(requests).toHaveLength(1);
    const body = requests[0]!.body as ChatRequestBody;
    expect(body.stream).toBe(true);
    const [system, ...rest] = body.messages!;
    expect(system!.role).toBe('system');
    expect(String(system!.content)).toContain('キャリアは選ぶものではなく');
    expect(String(system!.content)).toContain('https://intra.hoshizora.example/training/trn-001');
    expect(String(system!.content)).toContain(CONTACT);
    expect(rest.at(-1)).toEqual({ role: 'user', content: 'AWS を学んでクラウドの仕事をしたいです' });
    const wire = JSON.stringify(h.fake.requests.map((r) => r.body));
    for (const secret of ['Sato', 'Hanako', 'Tanaka', 'hanako.sato@', 'taro.tanaka@', 'E100', 'E200', 'UNSHARED-JOURNAL']) expect(wire).not.toContain(secret);
  });

  test('a follow-up in the same DM thread is rewritten (non-streaming call) and answered with the history', async () => {
    const thread = 'followup-thread';
    await say(h.core, 'E100', 'データサイエンティストの社内公募はありますか', { thread });
    const before = h.fake.chatRequests().length;
    const answer = answerOf(await say(h.core, 'E100', 'それは東京で働けますか', { thread }));
    const [rewrite, generate] = h.fake.chatRequests().slice(before);
    expect(rewrite!.body.stream).toBeFalsy();
    expect(JSON.stringify(rewrite!.body.messages)).toContain('データサイエンティストの社内公募はありますか');
    expect(generate!.body.stream).toBe(true);
    const roles = (generate!.body.messages as Array<{ role: string }>).map((m) => m.role);
    expect(roles).toEqual(['system', 'user', 'assistant', 'user']);
    expect(answer.generated).toBe(true);
  });

  test('an English message gets an English prompt and answer, whatever the documents’ language', async () => {
    const before = h.fake.chatRequests().length;
    const answer = answerOf(await say(h.core, 'E100', 'How do I move into product management from engineering?'));
    expect(answer.locale).toBe('en');
    expect(answer.text).toMatch(/^It sounds like you want a new challenge/);
    expect(String(h.fake.chatRequests()[before]!.body.messages[0].content)).toContain('Answer in English');
  });

  test('a channel mention answers from documents only: no memory in or out', async () => {
    const thread = 'channel-thread';
    await say(h.core, 'E100', 'プロダクトマネージャーになるには?', { surface: 'mention', thread });
    const before = h.fake.chatRequests().length;
    const answer = answerOf(await say(h.core, 'E100', 'それに必要な研修は?', { surface: 'mention', thread }));
    const requests = h.fake.chatRequests().slice(before);
    expect(requests).toHaveLength(1); // no rewrite: no history
    expect((requests[0]!.body.messages as unknown[]).length).toBe(2);
    expect(answer.private).toBe(false);
    const n = h.core.db.prepare("SELECT COUNT(*) AS n FROM conversations WHERE thread_key = 'channel-thread'").get() as { n: number };
    expect(n.n).toBe(0);
  });

  test('distress: the human consultants come first, then the generated answer', async () => {
    const answer = answerOf(await say(h.core, 'E100', '上司からのパワハラがつらくて眠れません'));
    expect(answer.generated).toBe(true);
    expect(answer.text.split('\n\n')[0]).toContain(CONTACT);
  });

  test('429 with Retry-After within the budget: waits, retries, answers', async () => {
    h.fake.setBehaviour({ faults: [{ kind: 'status', status: 429, retryAfterSeconds: 1 }] });
    const before = h.fake.chatRequests().length;
    const answer = answerOf(await say(h.core, 'E100', 'AWS の研修を受けたいです'));
    const requests = h.fake.chatRequests().slice(before);
    expect(requests).toHaveLength(2);
    expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(950);
    expect(answer.generated).toBe(true);
  });

  test('429 with a Retry-After beyond the budget: the offline answer at once, with a short notice', async () => {
    h.fake.setBehaviour({ faults: [{ kind: 'status', status: 429, retryAfterSeconds: 120 }] });
    const started = Date.now();
    const answer = answerOf(await say(h.core, 'E100', 'AWS の研修を受けたいです'));
    expect(Date.now() - started).toBeLessThan(1500);
    expect(answer.generated).toBe(false);
    expect(answer.text).toContain('AI の応答が時間内に得られなかったため');
    expect(answer.sources!.length).toBeGreaterThan(0);
  });

  test('5xx twice then success: retried with backoff', async () => {
    h.fake.setBehaviour({ faults: [{ kind: 'status', status: 500 }, { kind: 'status', status: 503 }] });
    const before = h.fake.chatRequests().length;
    const answer = answerOf(await say(h.core, 'E100', 'How can I learn AWS cloud basics?'));
    expect(h.fake.chatRequests().length - before).toBe(3);
    expect(answer.generated).toBe(true);
  });

  test('5xx every time: bounded retries, then the offline answer with a notice', async () => {
    h.fake.setBehaviour({ faults: Array.from({ length: 10 }, () => ({ kind: 'status' as const, status: 500 })) });
    const before = h.fake.chatRequests().length;
    const answer = answerOf(await say(h.core, 'E100', 'How can I learn AWS cloud basics?'));
    expect(h.fake.chatRequests().length - before).toBe(3); // 1 + TSUMIKI_LLM_MAX_RETRIES
    expect(answer.generated).toBe(false);
    expect(answer.text).toContain('The AI did not answer in time');
    expect((answer.text.match(/\?/g) ?? []).length).toBe(1);
  });

  test('a stream cut before any token: retried and answered', async () => {
    h.fake.setBehaviour({ faults: [{ kind: 'cut', afterTokens: 0 }] });
    const answer = answerOf(await say(h.core, 'E100', 'How can I learn AWS cloud basics?'));
    expect(answer.generated).toBe(true);
  });

  test('a stream cut half-way after tokens were shown: the final reply is still whole', async () => {
    h.fake.setBehaviour({ faults: [{ kind: 'cut', afterTokens: 5 }] });
    const tokens: string[] = [];
    const answer = answerOf(await say(h.core, 'E100', 'How can I learn AWS cloud basics?', { observer: { onToken: (t) => void tokens.push(t) } }));
    expect(tokens.length).toBeGreaterThan(0);
    expect(answer.generated).toBe(true);
    expect(answer.text).toMatch(/Which part of your current work would you like to stretch\?$/);
  });

  test('a model that never answers: timeouts within the budget, then the offline answer, well under 30 s', async () => {
    h.fake.setBehaviour({ faults: Array.from({ length: 5 }, () => ({ kind: 'delay' as const, ms: 6000 })) });
    const started = Date.now();
    const answer = answerOf(await say(h.core, 'E100', 'How can I learn AWS cloud basics?'));
    const elapsed = Date.now() - started;
    expect(answer.generated).toBe(false);
    expect(answer.text).toContain('The AI did not answer in time');
    expect(elapsed).toBeLessThan(8000); // budget: 3 × 2 s + 1 s (+1 s slack), scaled down from 25 s
  });

  test('👍 on one’s own answer is stored; on someone else’s it is refused', async () => {
    const answer = answerOf(await say(h.core, 'E100', 'AWS の研修を受けたいです'));
    const thanks = await h.core.router.handle({ actor: h.core.actor('E100'), surface: 'dm', threadKey: 'x', action: { id: 'feedback.up', value: String(answer.answerId) } });
    expect(thanks[0]!.text).toContain('ありがとうございます');
    const other = await h.core.router.handle({ actor: h.core.actor('E200'), surface: 'dm', threadKey: 'y', action: { id: 'feedback.down', value: String(answer.answerId) } });
    expect(other.at(-1)!.text).toContain('ご本人だけ');
    const rows = h.core.db.prepare('SELECT person_id, rating FROM feedback WHERE answer_id = ?').all(answer.answerId) as Array<{ person_id: number; rating: number }>;
    expect(rows).toEqual([{ person_id: h.core.people.byEmployeeId('E100')!.id, rating: 1 }]);
  });
});

describe('consultation offline (no model configured)', () => {
  let core: TestCore;
  beforeAll(async () => {
    core = makeTestCore({ TSUMIKI_CAREER_CONSULTANT_CONTACT: CONTACT });
    await core.knowledge.ingest('data');
  });
  afterAll(async () => {
    await core.close();
  });

  test('says once per person that generated answers are off', async () => {
    const first = answerOf(await say(core, 'G1', 'AWS を学びたいです'));
    const second = answerOf(await say(core, 'G1', 'データ分析の仕事に興味があります'));
    const other = answerOf(await say(core, 'G2', 'AWS を学びたいです'));
    expect(first.text).toContain('文章生成機能はオフ');
    expect(second.text).not.toContain('文章生成機能はオフ');
    expect(other.text).toContain('文章生成機能はオフ');
    expect(first.generated).toBe(false);
    for (const s of first.sources!) expect(core.knowledge.getDocument(s.id)!.url).toBe(s.url);
  });

  test('distress: the consultant contact first; no outcome promised; one question', async () => {
    const answer = answerOf(await say(core, 'G3', '仕事がつらくて限界です。異動すれば楽になりますか'));
    expect(answer.text.split('\n\n')[0]).toContain(CONTACT);
    expect(answer.text).not.toMatch(/必ず|確実に|異動できます|昇進できます/);
    expect((answer.text.match(/[?？]/g) ?? []).length).toBe(1);
  });

  test('trainings and postings list matching documents with links, format, hours and deadlines', async () => {
    const trainings = answerOf(await say(core, 'G4', 'trainings AWS', { surface: 'command' }));
    expect(trainings.text).toContain('[クラウド基礎 (AWS)](https://intra.hoshizora.example/training/trn-001)');
    expect(trainings.text).toMatch(/オンライン・12時間/);
    const postings = answerOf(await say(core, 'G4', 'postings データサイエンティスト', { surface: 'command' }));
    expect(postings.sources!.every((s) => s.kind === 'posting')).toBe(true);
    expect(postings.text).toContain('[データサイエンティスト (顧客分析・解約予測)](https://intra.hoshizora.example/postings/pst-002) — 締切 2027-01-31');
    const english = answerOf(await say(core, 'G4', 'postings for product managers', { surface: 'command' }));
    expect(english.text).toMatch(/deadline 20\d\d-\d\d-\d\d/);
    const empty = await say(core, 'G4', 'trainings', { surface: 'command' });
    expect(empty.at(-1)!.text).toContain('trainings <');
  });

  test('"ask …" works in a DM; a question starting with "postings" is still a consultation', async () => {
    const asked = answerOf(await say(core, 'G5', 'ask AWS を学びたいです'));
    expect(asked.kind).toBe('answer');
    const question = answerOf(await say(core, 'G5', 'postings are confusing to me, how do they work?'));
    expect(question.locale).toBe('en');
    expect(question.text).toMatch(/\?$/);
  });

  test('tsumiki ask prints the answer and its sources', async () => {
    let out = '';
    const stdout = new Writable({
      write(chunk, _enc, cb) {
        out += String(chunk);
        cb();
      },
    });
    const stderr = new Writable({ write: (_c, _e, cb) => cb() });
    const code = await main(['ask', 'AWS を学びたいです', '--user', 'E900', '--db', core.config.databasePath], { stdout, stderr, stdin: process.stdin });
    expect(code).toBe(0);
    expect(out).toMatch(/\[1\] .+ <https:\/\/intra\.hoshizora\.example\/\S+>/);
    expect(out).toContain('AWS');
  });
});
