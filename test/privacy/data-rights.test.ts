/**
 * Data rights end to end through the router: `export` hands over a JSON file of everything
 * stored about the person; `forget` erases it after a confirmation, leaving only a pseudonymous
 * audit line. The erasure test scans every column of every table for the person's identifiers.
 */
import fs from 'node:fs';
import { createHmac } from 'node:crypto';
import { makeTestCore, type TestCore } from '../helpers/test-core';
import type { Actor, Reply } from '../../src/core/types';
import { personalTables, unlinkedPersonColumns, type PersonalExport } from '../../src/privacy/personal-data';
import { findEverywhere, plantPersonalData } from './fixtures';

const ORG = [
  'M200,Quorra Manager,quorra.mgr@hoshizora.example,,U0MGR0001,,Asia/Tokyo,ja',
  'E100,Zorblat Quixley,zorblat.q@hoshizora.example,M200,U0ZQX0001,6f1c2d3e-1111-4a5b-8c9d-0123456789ab,Asia/Tokyo,en',
  'E300,Wilhelmina Odd,wil.odd@hoshizora.example,M200,U0WOD0001,,Europe/London,en',
].join('\n');

let now = new Date('2026-11-20T03:00:00.000Z');
let core: TestCore;

beforeEach(() => {
  now = new Date('2026-11-20T03:00:00.000Z');
  core = makeTestCore({}, { clock: () => now });
  core.importOrg(ORG);
});
afterEach(async () => {
  await core.close();
});

const personId = (employeeId: string) => core.people.byEmployeeId(employeeId)!.id;

async function click(actor: Actor, id: string, value?: string): Promise<Reply[]> {
  return core.router.handle({ actor, surface: 'dm', threadKey: `dm:${actor.personId}`, action: { id, value } });
}

async function requestForget(actor: Actor): Promise<{ reply: Reply; token: string }> {
  const replies = await core.router.handle({ actor, surface: 'dm', threadKey: `dm:${actor.personId}`, text: 'forget' });
  const reply = replies.find((r) => r.kind === 'confirm');
  expect(reply).toBeDefined();
  const confirm = reply!.actions!.find((a) => a.id === 'forget.confirm')!;
  return { reply: reply!, token: confirm.value! };
}

function exportOf(replies: Reply[]): PersonalExport {
  const reply = replies.find((r) => r.kind === 'export');
  expect(reply?.file).toBeDefined();
  return JSON.parse(reply!.file!.content) as PersonalExport;
}

describe('export in chat', () => {
  it('sends a dated JSON file of every personal table, privately, without secrets or other people’s data', async () => {
    const planted = plantPersonalData(core.db, personId('E100'), 'PLANT-E100-7f3a', personId('M200'));
    const other = plantPersonalData(core.db, personId('E300'), 'PLANT-E300-c9d1');
    core.people.updateIdentity(core.people.identity('teams', '6f1c2d3e-1111-4a5b-8c9d-0123456789ab')!.id, {
      conversationRef: JSON.stringify({ serviceUrl: 'https://smba.example/secret-route-9911' }),
    });

    const replies = await core.ask('E100', 'export', 'dm');
    const reply = replies.find((r) => r.kind === 'export')!;
    expect(reply.private).toBe(true);
    expect(reply.file!.name).toBe('tsumiki-export-2026-11-20.json');
    expect(reply.file!.mimeType).toBe('application/json');

    const data = exportOf(replies);
    expect(data.person.employee_id).toBe('E100');
    expect(data.person.email).toBe('zorblat.q@hoshizora.example');
    for (const table of personalTables(core.db)) expect(Object.keys(data.tables)).toContain(table.name);

    const content = reply.file!.content;
    expect(content).toContain(planted.journalPhrase);
    expect(content).toContain(planted.messagePhrase);
    expect(content).toContain(`answer ${planted.phrase}`);
    const externalIds = data.tables.identities!.map((i) => i.external_id);
    expect(externalIds).toEqual(expect.arrayContaining(['U0ZQX0001', '6f1c2d3e-1111-4a5b-8c9d-0123456789ab']));
    expect(data.tables.feedback).toHaveLength(1);
    expect(data.tables.journal_entries).toHaveLength(1);
    expect(data.tables.outbox).toHaveLength(1);

    // Secrets and technical routing data are withheld.
    expect(content).not.toContain(`token-${planted.phrase}`);
    expect(content).not.toContain('secret-route-9911');
    // Another person's data never appears.
    expect(content).not.toContain(other.phrase);
    // 1on1: about me → who and when and the suggestions; by me as a manager → who and when only.
    const requests = data.tables.oneonone_requests!;
    expect(requests).toHaveLength(2);
    const aboutMe = requests.find((r) => JSON.stringify(r.manager_person_id).includes('Quorra'))!;
    expect(aboutMe.suggested).toContain(`about ${planted.phrase}`);
    const byMe = requests.find((r) => JSON.stringify(r.member_person_id).includes('Quorra'))!;
    expect(byMe).not.toHaveProperty('suggested');
    expect(content).not.toContain(`by ${planted.phrase}`);
    expect(content).not.toContain('quorra.mgr@hoshizora.example');
  });

  it('is refused in a shared channel', async () => {
    plantPersonalData(core.db, personId('E100'), 'PLANT-CHAN-1');
    const replies = await core.ask('E100', 'export', 'mention');
    expect(replies.some((r) => r.file)).toBe(false);
    expect(JSON.stringify(replies)).not.toContain('PLANT-CHAN-1');
  });

  it('answers in the person’s language (Japanese alias, Japanese-speaking person)', async () => {
    const replies = await core.ask('M200', 'エクスポート', 'dm');
    const reply = replies.find((r) => r.kind === 'export')!;
    expect(reply.locale).toBe('ja');
    expect(reply.file).toBeDefined();
  });
});

describe('forget in chat', () => {
  it('asks for a confirmation with a danger button and erases nothing before it', async () => {
    const planted = plantPersonalData(core.db, personId('E100'), 'PLANT-ASK-1');
    const { reply, token } = await requestForget(core.actor('E100'));
    expect(reply.private).toBe(true);
    expect(reply.actions!.map((a) => a.id)).toEqual(['forget.confirm', 'forget.cancel']);
    expect(reply.actions![0]!.style).toBe('danger');
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    const pending = core.db.prepare('SELECT expires_at FROM pending_confirmations WHERE token = ?').get(token) as { expires_at: string };
    expect(pending.expires_at).toBe('2026-11-20T03:10:00.000Z');
    expect(findEverywhere(core.db, planted.journalPhrase)).toHaveLength(1);
  });

  it('cancel keeps everything', async () => {
    const planted = plantPersonalData(core.db, personId('E100'), 'PLANT-CANCEL-1');
    const actor = core.actor('E100');
    const { token } = await requestForget(actor);
    const replies = await click(actor, 'forget.cancel', token);
    expect(replies.map((r) => r.kind)).toEqual(['info']);
    expect(core.people.byEmployeeId('E100')).toBeDefined();
    expect(findEverywhere(core.db, planted.journalPhrase)).toHaveLength(1);
    // The token is spent: confirming afterwards does nothing.
    await click(actor, 'forget.confirm', token);
    expect(core.people.byEmployeeId('E100')).toBeDefined();
  });

  it('an expired confirmation erases nothing', async () => {
    plantPersonalData(core.db, personId('E100'), 'PLANT-EXP-1');
    const actor = core.actor('E100');
    const { token } = await requestForget(actor);
    now = new Date(now.getTime() + 11 * 60_000);
    const replies = await click(actor, 'forget.confirm', token);
    expect(replies[0]!.text).toMatch(/expired|期限/);
    expect(core.people.byEmployeeId('E100')).toBeDefined();
  });

  it('someone else’s button (a forwarded token) erases nothing', async () => {
    const { token } = await requestForget(core.actor('E100'));
    await click(core.actor('E300'), 'forget.confirm', token);
    expect(core.people.byEmployeeId('E100')).toBeDefined();
    expect(core.people.byEmployeeId('E300')).toBeDefined();
  });

  it('confirm erases every row linked to the person in every table and keeps one pseudonymous audit line', async () => {
    const mine = plantPersonalData(core.db, personId('E100'), 'PLANT-MINE-4b2e', personId('M200'));
    const theirs = plantPersonalData(core.db, personId('E300'), 'PLANT-THEIRS-88aa', personId('M200'));
    await core.ask('E100', 'help', 'dm'); // first contact: purpose notice consent recorded
    const actor = core.actor('E100');
    const { token } = await requestForget(actor);
    const replies = await click(actor, 'forget.confirm', token);
    expect(replies.map((r) => r.kind)).toEqual(['info']);
    expect(replies[0]!.text).toMatch(/erased|消去/);

    const identifiers = [
      'E100',
      'Zorblat',
      'Quixley',
      'zorblat.q@hoshizora.example',
      'U0ZQX0001',
      '6f1c2d3e-1111-4a5b-8c9d-0123456789ab',
      mine.phrase,
      mine.journalPhrase,
      mine.messagePhrase,
    ];
    for (const needle of identifiers) {
      expect({ needle, hits: findEverywhere(core.db, needle) }).toEqual({ needle, hits: [] });
    }
    // Every personal table, found from the schema, has no row left for the erased person id.
    const erasedId = actor.personId;
    for (const table of personalTables(core.db)) {
      for (const link of table.links.filter((l) => l.parentTable === 'people')) {
        const { n } = core.db.prepare(`SELECT COUNT(*) AS n FROM "${table.name}" WHERE "${link.column}" = ?`).get(erasedId) as { n: number };
        expect({ table: table.name, column: link.column, n }).toEqual({ table: table.name, column: link.column, n: 0 });
      }
    }
    // The audit line: a salted hash of the employee id, nothing in clear.
    const audit = core.db.prepare("SELECT * FROM audit_log WHERE action = 'forget'").all() as Array<{ subject_hash: string; detail: string }>;
    expect(audit).toHaveLength(1);
    const salt = (core.db.prepare("SELECT value FROM privacy_state WHERE key = 'audit_salt'").get() as { value: string }).value;
    expect(audit[0]!.subject_hash).toBe(createHmac('sha256', salt).update('employee:E100').digest('hex'));
    expect(JSON.parse(audit[0]!.detail).deleted.journal_entries).toBe(1);

    // Everyone else is untouched.
    expect(findEverywhere(core.db, theirs.journalPhrase)).toHaveLength(1);
    expect(core.people.byEmployeeId('E300')).toBeDefined();
    expect(core.people.byEmployeeId('M200')).toBeDefined();
  });

  it('leaves no trace of the text in the database file itself (secure delete, WAL checkpointed)', async () => {
    const mine = plantPersonalData(core.db, personId('E100'), 'BYTES-UNIQUE-5c1f0e', personId('M200'));
    const actor = core.actor('E100');
    const { token } = await requestForget(actor);
    await click(actor, 'forget.confirm', token);
    const file = core.config.databasePath;
    const bytes = Buffer.concat([fs.readFileSync(file), fs.existsSync(`${file}-wal`) ? fs.readFileSync(`${file}-wal`) : Buffer.alloc(0)]);
    expect(bytes.includes(Buffer.from(mine.journalPhrase))).toBe(false);
    expect(bytes.includes(Buffer.from(mine.messagePhrase))).toBe(false);
    expect(bytes.includes(Buffer.from('zorblat.q@hoshizora.example'))).toBe(false);
  });

  it('a manager’s erasure clears the reports’ pointer to them', async () => {
    const actor = core.actor('M200');
    const { token } = await requestForget(actor);
    await click(actor, 'forget.confirm', token);
    expect(core.people.byEmployeeId('M200')).toBeUndefined();
    expect(core.people.byEmployeeId('E100')!.managerEmployeeId).toBeNull();
    expect(findEverywhere(core.db, 'M200')).toEqual([]);
  });

  it('works for a guest (someone not in the organisation import)', async () => {
    const guest = await core.actors.resolve('slack', 'U0GUEST77', { name: 'Gwendolyn Guestperson' });
    expect(guest.isGuest).toBe(true);
    plantPersonalData(core.db, guest.personId, 'PLANT-GUEST-31');
    const exported = exportOf(await core.router.handle({ actor: guest, surface: 'dm', threadKey: 'g', text: 'export' }));
    expect(exported.person.is_guest).toBe(1);
    const { token } = await requestForget(guest);
    await click(guest, 'forget.confirm', token);
    for (const needle of ['U0GUEST77', 'Gwendolyn', 'PLANT-GUEST-31']) expect(findEverywhere(core.db, needle)).toEqual([]);
    const salt = (core.db.prepare("SELECT value FROM privacy_state WHERE key = 'audit_salt'").get() as { value: string }).value;
    const audit = core.db.prepare("SELECT subject_hash FROM audit_log WHERE action = 'forget'").get() as { subject_hash: string };
    expect(audit.subject_hash).toBe(createHmac('sha256', salt).update('slack:U0GUEST77').digest('hex'));
  });

  it('in plain DM, a sentence starting with "forget" is a question, not the command', async () => {
    const replies = await core.ask('E100', 'forget about my last question, what trainings are there for AWS?', 'dm');
    expect(replies.some((r) => r.kind === 'confirm')).toBe(false);
  });
});

describe('schema coverage', () => {
  it('every column that names a person is a foreign key to people (so export and erasure find it)', () => {
    expect(unlinkedPersonColumns(core.db)).toEqual([]);
  });

  it('every foreign key to people cascades or nulls on delete', () => {
    for (const table of personalTables(core.db)) {
      for (const link of table.links.filter((l) => l.parentTable === 'people')) {
        expect({ table: table.name, onDelete: link.onDelete }).toEqual({ table: table.name, onDelete: expect.stringMatching(/CASCADE|SET NULL/) });
      }
    }
  });

  it('finds the core personal tables from the schema alone', () => {
    const names = personalTables(core.db).map((t) => t.name);
    for (const t of ['identities', 'consents', 'conversations', 'conversation_messages', 'answers', 'feedback', 'reflection_settings', 'reflection_sessions', 'journal_entries', 'outbox', 'oneonone_requests', 'pending_confirmations']) {
      expect(names).toContain(t);
    }
    for (const t of ['audit_log', 'processed_events', 'privacy_state', 'kb_documents']) expect(names).not.toContain(t);
  });
});
