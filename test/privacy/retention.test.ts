/** Retention: conversation logs go after the configured days; journals, settings and consents stay. */
import pino from 'pino';
import { makeTestCore, type TestCore } from '../helpers/test-core';
import { purgeExpired, startRetention } from '../../src/privacy/retention';

const NOW = new Date('2026-11-20T00:00:00.000Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

let core: TestCore;
afterEach(() => core.close());

function arrange(c: TestCore) {
  c.importOrg('E1,Aoi Tanaka,aoi@hoshizora.example,,,,Asia/Tokyo,ja');
  const pid = c.people.byEmployeeId('E1')!.id;
  const db = c.db;
  const oldConv = Number(db.prepare("INSERT INTO conversations (person_id, channel, thread_key, updated_at) VALUES (?, 'cli', 'old', ?)").run(pid, daysAgo(120)).lastInsertRowid);
  const mixedConv = Number(db.prepare("INSERT INTO conversations (person_id, channel, thread_key, updated_at) VALUES (?, 'cli', 'mixed', ?)").run(pid, daysAgo(1)).lastInsertRowid);
  const msg = db.prepare("INSERT INTO conversation_messages (conversation_id, person_id, role, content, created_at) VALUES (?, ?, 'user', ?, ?)");
  msg.run(oldConv, pid, 'old question', daysAgo(120));
  msg.run(mixedConv, pid, 'older question', daysAgo(95));
  msg.run(mixedConv, pid, 'recent question', daysAgo(5));
  const oldAnswer = Number(db.prepare("INSERT INTO answers (person_id, channel, answer, generated, created_at) VALUES (?, 'cli', 'old answer', 0, ?)").run(pid, daysAgo(100)).lastInsertRowid);
  db.prepare("INSERT INTO answers (person_id, channel, answer, generated, created_at) VALUES (?, 'cli', 'new answer', 0, ?)").run(pid, daysAgo(3));
  db.prepare('INSERT INTO feedback (answer_id, person_id, rating, created_at) VALUES (?, ?, 1, ?)').run(oldAnswer, pid, daysAgo(100));
  db.prepare('INSERT INTO journal_entries (person_id, experience, created_at) VALUES (?, ?, ?)').run(pid, 'a two-year-old reflection', daysAgo(730));
  db.prepare("INSERT INTO consents (person_id, kind, granted, notice_version, decided_at) VALUES (?, 'weekly_reflection', 1, 'v1', ?)").run(pid, daysAgo(400));
  db.prepare("INSERT INTO outbox (person_id, dedupe_key, kind, status, created_at) VALUES (?, 'old-sent', 'reflection_prompt', 'sent', ?)").run(pid, daysAgo(200));
  db.prepare("INSERT INTO outbox (person_id, dedupe_key, kind, status, created_at) VALUES (?, 'old-pending', 'reflection_prompt', 'pending', ?)").run(pid, daysAgo(200));
  db.prepare("INSERT INTO pending_confirmations (token, person_id, action, expires_at) VALUES ('t-old', ?, 'forget', ?)").run(pid, daysAgo(1));
  return pid;
}

const texts = (c: TestCore, sql: string) => (c.db.prepare(sql).all() as Array<{ v: string }>).map((r) => r.v);

it('deletes messages, answers (with their feedback) and emptied conversations older than 90 days; keeps journals and consents', () => {
  core = makeTestCore();
  arrange(core);
  const report = purgeExpired(core.db, NOW, 90);
  expect(report).toMatchObject({ conversationMessages: 2, conversations: 1, answers: 1, expiredConfirmations: 1, outbox: 1 });
  expect(texts(core, 'SELECT content AS v FROM conversation_messages')).toEqual(['recent question']);
  expect(texts(core, 'SELECT thread_key AS v FROM conversations')).toEqual(['mixed']);
  expect(texts(core, 'SELECT answer AS v FROM answers')).toEqual(['new answer']);
  expect(texts(core, 'SELECT CAST(rating AS TEXT) AS v FROM feedback')).toEqual([]);
  expect(texts(core, 'SELECT experience AS v FROM journal_entries')).toEqual(['a two-year-old reflection']);
  expect(texts(core, "SELECT kind AS v FROM consents")).toEqual(['weekly_reflection']);
  expect(texts(core, 'SELECT dedupe_key AS v FROM outbox')).toEqual(['old-pending']);
});

it('honours TSUMIKI_RETENTION_DAYS', () => {
  core = makeTestCore({ TSUMIKI_RETENTION_DAYS: '3' });
  arrange(core);
  expect(core.config.retentionDays).toBe(3);
  purgeExpired(core.db, NOW, core.config.retentionDays);
  expect(texts(core, 'SELECT content AS v FROM conversation_messages')).toEqual([]);
  expect(texts(core, 'SELECT experience AS v FROM journal_entries')).toEqual(['a two-year-old reflection']);
});

it('runs at start, then on its timer, and stops at shutdown', async () => {
  core = makeTestCore();
  arrange(core);
  const closers: Array<() => void> = [];
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
  try {
    const stop = startRetention({ db: core.db, config: core.config, logger: pino({ level: 'silent' }), clock: () => NOW, onClose: (fn) => closers.push(fn as () => void) }, 1000);
    expect(texts(core, 'SELECT content AS v FROM conversation_messages')).toEqual(['recent question']);
    core.db.prepare("INSERT INTO conversation_messages (conversation_id, person_id, role, content, created_at) SELECT id, person_id, 'user', 'late arrival', ? FROM conversations LIMIT 1").run(daysAgo(91));
    jest.advanceTimersByTime(1000);
    expect(texts(core, 'SELECT content AS v FROM conversation_messages')).toEqual(['recent question']);
    expect(closers).toHaveLength(1);
    stop();
    core.db.prepare("INSERT INTO conversation_messages (conversation_id, person_id, role, content, created_at) SELECT id, person_id, 'user', 'after stop', ? FROM conversations LIMIT 1").run(daysAgo(91));
    jest.advanceTimersByTime(5000);
    expect(texts(core, 'SELECT content AS v FROM conversation_messages')).toContain('after stop');
  } finally {
    jest.useRealTimers();
  }
});
