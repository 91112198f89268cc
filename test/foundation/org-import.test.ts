import fs from 'node:fs';
import path from 'node:path';
import { importOrg, parseOrgCsv, OrgFileError } from '../../src/people/org-import';
import { PeopleRepository } from '../../src/people/people-repository';
import { openDatabase } from '../../src/storage/database';
import { ORG_HEADER, tempDir } from '../helpers/test-core';
import { runCli } from '../helpers/spawn-tsumiki';

describe('organisation import', () => {
  it('imports good rows, reports bad rows by line number, and never loses stored data', () => {
    const db = openDatabase(':memory:');
    const people = new PeopleRepository(db);
    const first = importOrg(db, people, `${ORG_HEADER}\nE001,佐藤 花子,hanako@example.com,,U0AAA111,,Asia/Tokyo,ja\nE002,Bob Smith,bob@example.com,E001,,,,en\n`);
    expect(first).toMatchObject({ created: 2, updated: 0, problems: [] });
    const hanako = people.byEmployeeId('E001')!;
    db.prepare("INSERT INTO journal_entries (person_id, lesson) VALUES (?, 'keep me')").run(hanako.id);

    const second = importOrg(
      db,
      people,
      [
        ORG_HEADER,
        'E001,佐藤 花子,hanako.sato@example.com,,U0AAA111,,Asia/Tokyo,ja',
        'E003,Carol,carol@example,E001,,,,',
        ',No Id,x@example.com,,,,,',
        'E004,Dan,dan@example.com,E001,,,Mars/Base,en',
        'E005,Eve,eve@example.com,E001,,,,fr',
        'E006,Too,many,columns,,,,,,,',
        'E001,Dup,dup@example.com,,,,,',
        'E007,Grace,grace@example.com,E001,,11111111-2222-3333-4444-555555555555,Europe/London,en',
      ].join('\n'),
    );
    expect(second.created).toBe(1);
    expect(second.updated).toBe(1);
    expect(second.problems.map((p) => p.line)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(second.problems.find((p) => p.line === 3)!.reason).toMatch(/email/);
    expect(second.problems.find((p) => p.line === 5)!.reason).toMatch(/timezone/);
    expect(second.problems.find((p) => p.line === 8)!.reason).toMatch(/already appears on line 2/);
    expect(people.byEmployeeId('E001')!.email).toBe('hanako.sato@example.com');
    expect(db.prepare('SELECT lesson FROM journal_entries WHERE person_id = ?').get(hanako.id)).toEqual({ lesson: 'keep me' });
    expect(people.identity('teams', '11111111-2222-3333-4444-555555555555')?.personId).toBe(people.byEmployeeId('E007')!.id);
    expect(people.reportsOf('E001').map((p) => p.employeeId)).toEqual(['E002', 'E007']);
  });

  it('refuses a file without the expected header', () => {
    expect(() => parseOrgCsv('id,name\n1,a\n')).toThrow(OrgFileError);
    expect(() => parseOrgCsv('')).toThrow(/empty/);
  });

  it('links a guest’s Slack identity to the employee when the organisation names it', () => {
    const db = openDatabase(':memory:');
    const people = new PeopleRepository(db);
    const guest = people.createGuest('slack', 'U0GUEST1');
    db.prepare("INSERT INTO conversations (person_id, channel, thread_key) VALUES (?, 'slack', 'D1')").run(guest.id);
    importOrg(db, people, `${ORG_HEADER}\nE010,Kenji,kenji@example.com,,U0GUEST1,,,\n`);
    const kenji = people.byEmployeeId('E010')!;
    expect(people.identity('slack', 'U0GUEST1')!.personId).toBe(kenji.id);
    expect(people.byId(guest.id)).toBeUndefined();
    expect(db.prepare('SELECT person_id FROM conversations').get()).toEqual({ person_id: kenji.id });
  });
});

describe('tsumiki import-org (CLI)', () => {
  const dir = tempDir();
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints bad rows with file and line, imports the rest and exits 1', async () => {
    const csv = path.join(dir, 'org.csv');
    fs.writeFileSync(csv, `${ORG_HEADER}\nE001,A,a@example.com,,,,,\nE002,B,bad-email,,,,,\n`);
    const db = path.join(dir, 'cli.db');
    const result = await runCli(['import-org', csv, '--db', db]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${csv}:3: email "bad-email" is not an e-mail address`);
    expect(result.stderr).toContain('imported 1 people');
    expect(result.stdout).toBe('');
    const check = openDatabase(db);
    expect(check.prepare('SELECT employee_id FROM people').all()).toEqual([{ employee_id: 'E001' }]);
    check.close();
  });
});
