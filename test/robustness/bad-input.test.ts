/**
 * Bad input: each case gets a clear answer (never an internal-error reply or silence), nothing
 * stored is lost (a planted journal entry survives every case) and the process stays up
 * (HTTP cases run against the real server started with startTsumiki).
 */
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { main } from '../../src/cli/main';
import type { Reply, Turn } from '../../src/core/types';
import { MAX_MESSAGE_CHARS } from '../../src/core/messages';
import { makeTestCore, ORG_HEADER, tempDir, type TestCore } from '../helpers/test-core';
import { post, startApp, teamsActivity, sentText, type RunningApp } from './support/running-app';

const JOURNAL_PHRASE = 'SURVIVOR-journal-entry-5e7b';
const ORG = 'E1,Aoi Tanaka,aoi@hoshizora.example,,,,Asia/Tokyo,en';

function journalCount(core: { db: TestCore['db'] }): number {
  return (core.db.prepare('SELECT COUNT(*) AS n FROM journal_entries WHERE experience = ?').get(JOURNAL_PHRASE) as { n: number }).n;
}

const INTERNAL_ERROR = /Reference: [0-9a-f]{8}|参照番号: [0-9a-f]{8}/;

/** A clear answer: at least one reply with text, none of them the internal-error reply. */
function expectClearAnswer(replies: Reply[]): void {
  expect(replies.length).toBeGreaterThan(0);
  for (const r of replies) {
    // Validation problems may be kind 'error'; the internal-error reply (with a reference) is the failure.
    expect(r.text).not.toMatch(INTERNAL_ERROR);
    expect(r.text.trim().length).toBeGreaterThan(0);
  }
}

describe('through the router', () => {
  let core: TestCore;
  beforeAll(async () => {
    core = makeTestCore();
    core.importOrg(ORG);
    const pid = core.people.byEmployeeId('E1')!.id;
    core.db.prepare('INSERT INTO journal_entries (person_id, experience) VALUES (?, ?)').run(pid, JOURNAL_PHRASE);
    await core.ask('E1', 'help', 'dm'); // the purpose notice, out of the way
  });
  afterAll(async () => {
    expect(journalCount(core)).toBe(1);
    await core.close();
  });

  const turn = (fields: Partial<Turn>): Promise<Reply[]> =>
    core.router.handle({ actor: core.actor('E1'), surface: 'dm', threadKey: 'bad-input', ...fields });

  it.each([
    ['empty', ''],
    ['whitespace only', ' \t\n\u3000 '],
    ['zero-width only', '\u200B\u200C\u200D\uFEFF'],
    ['bidi controls only', '\u202E\u2066\u2069'],
  ])('%s message: asks for a message', async (_name, text) => {
    const replies = await turn({ text });
    expectClearAnswer(replies);
    expect(replies[0]!.kind).toBe('info');
  });

  it('no text at all (an empty activity)', async () => {
    expectClearAnswer(await turn({}));
  });

  it('40,000 characters: says the limit, stores nothing of it', async () => {
    const text = `${'キャリアについて相談です。'.repeat(3000)}`.slice(0, 40_000);
    const replies = await turn({ text });
    expectClearAnswer(replies);
    expect(replies[0]!.text).toContain(MAX_MESSAGE_CHARS.toLocaleString('ja-JP'));
    const { n } = core.db.prepare('SELECT COUNT(*) AS n FROM conversation_messages WHERE length(content) > ?').get(MAX_MESSAGE_CHARS) as { n: number };
    expect(n).toBe(0);
  });

  it.each([
    ['emoji only', '🚀🔥🙏🏽👩‍💻'],
    ['emoji around a question', '🤔 how do I move into cloud work? 🚀'],
    ['right-to-left text', 'مرحبا، كيف أطور مسيرتي المهنية؟'],
    ['mixed RTL override inside Latin', 'how do I \u202Egrow\u202C into product work?'],
    ['lone surrogate halves', 'career \uD83D question \uDE80'],
    ['control characters', 'career\u0000\u0007\u001B[31m question'],
    ['only punctuation', '?!?!...'],
    ['a markdown/HTML injection', '<script>alert(1)</script> **bold** [x](javascript:alert(1))'],
  ])('%s: a clear answer', async (_name, text) => {
    expectClearAnswer(await turn({ text }));
  });

  it('zero-width and bidi characters hidden in a command word do not break the command', async () => {
    const replies = await turn({ text: 'he\u200Blp\u202C' });
    expect(replies.map((r) => r.kind)).toContain('help');
  });

  it('files and images without text: says it reads text only', async () => {
    const replies = await turn({ attachments: 2 });
    expectClearAnswer(replies);
    expect(replies[0]!.text).toMatch(/files or images|ファイル/);
  });

  it('an unknown /career subcommand: says so and lists what is possible', async () => {
    const replies = await turn({ text: 'frobnicate now', surface: 'command' });
    expectClearAnswer(replies);
    expect(replies[0]!.kind).toBe('help');
    expect(replies[0]!.text).toContain('frobnicate');
  });

  it('an unknown button id: a clear answer', async () => {
    expectClearAnswer(await turn({ action: { id: 'no.such.action', value: 'x' } }));
  });

  it.each([
    ['forget.confirm without a token', { id: 'forget.confirm' }],
    ['forget.confirm with a made-up token', { id: 'forget.confirm', value: 'deadbeef' }],
    ['forget.cancel with junk', { id: 'forget.cancel', value: '\u0000' }],
    ['command button with an empty value', { id: 'command', value: '' }],
    ['command button with junk', { id: 'command', value: '\u202E\u200B' }],
  ])('%s: a clear answer and nobody erased', async (_name, action) => {
    expectClearAnswer(await turn({ action }));
    expect(core.people.byEmployeeId('E1')).toBeDefined();
  });

  it.each([
    'schedule xyz 25:99',
    'schedule fri 24:00',
    'schedule funday 16:00',
    'schedule mon 9',
    'schedule 16:00 fri extra words',
    'pause forever-ish',
    'pause 2026-02-31',
    'pause -3 weeks',
  ])('invalid day/time/duration "%s": a clear answer, settings untouched', async (text) => {
    const before = core.db.prepare('SELECT * FROM reflection_settings WHERE person_id = ?').all(core.actor('E1').personId);
    const replies = await turn({ text, surface: 'command' });
    expectClearAnswer(replies);
    const after = core.db.prepare('SELECT * FROM reflection_settings WHERE person_id = ?').all(core.actor('E1').personId);
    expect(after).toEqual(before);
  });

  it('an invalid time zone from a channel profile is ignored (the default is used)', async () => {
    const actor = await core.actors.resolve('slack', 'U0TZBAD01', { timezone: 'Mars/Olympus_Mons' });
    expect(actor.timezone).toBe(core.config.defaultTimezone);
    const actor2 = await core.actors.resolve('slack', 'U0TZBAD02', { timezone: '+09:00' });
    expect(actor2.timezone).toBe(core.config.defaultTimezone);
  });
});

describe('organisation CSV with bad rows', () => {
  function capture() {
    let text = '';
    return {
      stream: new Writable({
        write(chunk, _e, cb) {
          text += String(chunk);
          cb();
        },
      }),
      text: () => text,
    };
  }

  it('reports each bad row by line, imports the good ones and keeps every journal', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'org.db');
    const good = path.join(dir, 'good.csv');
    fs.writeFileSync(good, `${ORG_HEADER}\nE1,Aoi Tanaka,aoi@hoshizora.example,,,,Asia/Tokyo,ja\n`);
    const io = () => ({ out: capture(), err: capture() });
    let c = io();
    expect(await main(['import-org', good, '--db', db], { stdout: c.out.stream, stderr: c.err.stream, stdin: new PassThrough() })).toBe(0);

    const core = makeTestCore({ TSUMIKI_DB: db });
    const pid = core.people.byEmployeeId('E1')!.id;
    core.db.prepare('INSERT INTO journal_entries (person_id, experience) VALUES (?, ?)').run(pid, JOURNAL_PHRASE);
    await core.close();

    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(
      bad,
      [
        ORG_HEADER,
        'E1,Aoi Tanaka,aoi@hoshizora.example,,,,Asia/Tokyo,ja',
        'E2,,no-name@hoshizora.example,,,,Asia/Tokyo,ja', // no name
        'E3,Bad Zone,bz@hoshizora.example,,,,Mars/Olympus,ja', // invalid time zone
        'E4,Bad Mail,not-an-email,,,,Asia/Tokyo,ja', // invalid e-mail
        'E5,Too,many,columns,here,,,,,,', // column count
        'E 6,Space Id,s@hoshizora.example,,,,Asia/Tokyo,ja', // invalid id
        'E7,Good Person,good@hoshizora.example,E1,,,Europe/London,en',
        'E8,Bad Locale,bl@hoshizora.example,,,,Asia/Tokyo,fr',
      ].join('\n'),
    );
    c = io();
    const code = await main(['import-org', bad, '--db', db], { stdout: c.out.stream, stderr: c.err.stream, stdin: new PassThrough() });
    const err = c.err.text();
    expect(code).toBe(1);
    expect(c.out.text()).toBe('');
    for (const line of [3, 4, 5, 6, 7, 9]) expect(err).toContain(`${bad}:${line}:`);
    expect(err).not.toContain(`${bad}:2:`);
    expect(err).not.toContain(`${bad}:8:`);
    expect(err).toMatch(/time zone/);
    expect(err).toMatch(/2 people/);

    // A file that is not CSV at all (an unclosed quote) is refused as a whole, clearly.
    const broken = path.join(dir, 'broken.csv');
    fs.writeFileSync(broken, `${ORG_HEADER}\nE9,"Unclosed quote,x@hoshizora.example,,,,Asia/Tokyo,ja\n`);
    c = io();
    expect(await main(['import-org', broken, '--db', db], { stdout: c.out.stream, stderr: c.err.stream, stdin: new PassThrough() })).toBe(1);
    expect(c.err.text()).toContain(broken);

    const after = makeTestCore({ TSUMIKI_DB: db });
    try {
      expect(after.people.byEmployeeId('E7')?.name).toBe('Good Person');
      for (const id of ['E2', 'E3', 'E4', 'E5', 'E8', 'E9']) expect(after.people.byEmployeeId(id)).toBeUndefined();
      expect(journalCount(after)).toBe(1);
    } finally {
      await after.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unknown CLI subcommand exits 2 with the usage', async () => {
    let err = '';
    const code = await main(['frobnicate'], {
      stdout: new PassThrough(),
      stderr: new Writable({
        write(chunk, _e, cb) {
          err += String(chunk);
          cb();
        },
      }),
      stdin: new PassThrough(),
    });
    expect(code).toBe(2);
    expect(err).toContain('unknown command');
    expect(err).toContain('Usage');
  });
});

describe('over HTTP (Teams endpoint, local mode)', () => {
  let app: RunningApp;
  const MAX = 4096;
  beforeAll(async () => {
    app = await startApp({ TSUMIKI_MAX_BODY_BYTES: String(MAX) });
    app.app.core.people.createGuest('teams', '00000000-0000-4000-8000-000000000001');
    const pid = app.app.core.people.identity('teams', '00000000-0000-4000-8000-000000000001')!.personId;
    app.app.core.db.prepare('INSERT INTO journal_entries (person_id, experience) VALUES (?, ?)').run(pid, JOURNAL_PHRASE);
  });
  afterAll(async () => {
    await app?.close();
  });

  const endpoint = () => `${app.url}/api/messages`;

  it.each([
    ['truncated JSON', '{"type":"message","text":'],
    ['not JSON at all', 'hello there'],
    ['JSON with a trailing comma', '{"type":"message",}'],
    ['a bare number', '42'],
    ['invalid UTF-8 escapes', '{"text":"\\uD800\\uZZZZ"}'],
  ])('malformed JSON (%s) → 400', async (_name, body) => {
    const r = await post(endpoint(), body);
    expect(r.status).toBe(400);
    expect(r.text).toContain('malformed');
  });

  it('an oversized body → 413, before anything is parsed', async () => {
    const r = await post(endpoint(), teamsActivity(app.connector.url, { text: 'x'.repeat(MAX * 3) }));
    expect(r.status).toBe(413);
  });

  it('a 40,000-character message within the body limit of a default install gets the length answer', async () => {
    // This server has a small body limit; the message-length rule itself is covered above.
    const r = await post(endpoint(), teamsActivity(app.connector.url, { text: 'y'.repeat(3000) }));
    expect(r.status).toBeLessThan(500);
  });

  it('an image attachment without text gets "text only"', async () => {
    const before = app.connector.sent.length;
    const r = await post(
      endpoint(),
      teamsActivity(app.connector.url, {
        text: undefined,
        attachments: [{ contentType: 'image/png', contentUrl: 'http://127.0.0.1:1/image.png', name: 'photo.png' }],
      }),
    );
    expect(r.status).toBeLessThan(500);
    expect(sentText(app.connector, before)).toMatch(/files or images|ファイル/);
  });

  it.each([
    ['emoji', '🙏🏽🚀'],
    ['zero-width and RTL', '\u200B\u202Ehelp\u202C'],
    ['whitespace', '   '],
    ['unknown command', 'frobnicate'],
    ['invalid schedule', 'schedule xyz 25:99'],
  ])('%s over Teams: the bot answers', async (_name, text) => {
    const before = app.connector.sent.filter((s) => s.body?.type === 'message').length;
    const r = await post(endpoint(), teamsActivity(app.connector.url, { text }));
    expect(r.status).toBeLessThan(500);
    expect(app.connector.sent.filter((s) => s.body?.type === 'message').length).toBeGreaterThan(before);
  });

  it('the process is still up and the journal intact after all of it', async () => {
    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(200);
    expect(journalCount(app.app.core)).toBe(1);
  });
});
