/** `tsumiki export` and `tsumiki forget` through the real CLI entry point. */
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { main } from '../../src/cli/main';
import { openDatabase } from '../../src/storage/database';
import { importOrg } from '../../src/people/org-import';
import { PeopleRepository } from '../../src/people/people-repository';
import { ORG_HEADER, tempDir } from '../helpers/test-core';
import { findEverywhere, plantPersonalData } from './fixtures';

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _e, cb) {
      text += String(chunk);
      cb();
    },
  });
  return { stream, text: () => text };
}

function stdinWith(input: string | null, isTTY: boolean) {
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
  stdin.isTTY = isTTY;
  if (input !== null) stdin.end(input);
  return stdin;
}

async function run(args: string[], stdin = stdinWith('', false)) {
  const out = capture();
  const err = capture();
  const code = await main(args, { stdout: out.stream, stderr: err.stream, stdin });
  return { code, stdout: out.text(), stderr: err.text() };
}

let db: string;
beforeEach(() => {
  db = path.join(tempDir(), 'cli.db');
  const handle = openDatabase(db);
  importOrg(handle, new PeopleRepository(handle), `${ORG_HEADER}\nE7,Xanthe Pemberly,xanthe@hoshizora.example,,U0XAN0007,,Asia/Tokyo,ja\nE8,Other Person,other@hoshizora.example,,,,Asia/Tokyo,ja\n`);
  const people = new PeopleRepository(handle);
  plantPersonalData(handle, people.byEmployeeId('E7')!.id, 'CLI-PLANT-91');
  plantPersonalData(handle, people.byEmployeeId('E8')!.id, 'CLI-OTHER-22');
  handle.close();
});

it('export prints only JSON on stdout, with the person’s data', async () => {
  const r = await run(['export', 'E7', '--db', db]);
  expect(r.code).toBe(0);
  const data = JSON.parse(r.stdout);
  expect(data.format).toBe('tsumiki-export');
  expect(data.person.employee_id).toBe('E7');
  expect(r.stdout).toContain('CLI-PLANT-91-journal');
  expect(r.stdout).not.toContain('CLI-OTHER-22');
});

it('export of an unknown id fails clearly', async () => {
  const r = await run(['export', 'NOPE', '--db', db]);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('no person');
});

it('export without an id is a usage error', async () => {
  const r = await run(['export', '--db', db]);
  expect(r.code).toBe(2);
});

it('forget without --yes and without a terminal refuses with exit 2 and erases nothing', async () => {
  const r = await run(['forget', 'E7', '--db', db], stdinWith(null, false));
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/--yes/);
  const handle = openDatabase(db);
  expect(findEverywhere(handle, 'CLI-PLANT-91-journal')).toHaveLength(1);
  handle.close();
});

it('forget on a terminal asks, and "no" erases nothing', async () => {
  const r = await run(['forget', 'E7', '--db', db], stdinWith('no\n', true));
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('Xanthe Pemberly');
  expect(r.stderr).toContain('nothing erased');
  const handle = openDatabase(db);
  expect(findEverywhere(handle, 'CLI-PLANT-91-journal')).toHaveLength(1);
  handle.close();
});

it('forget on a terminal with "yes" erases', async () => {
  const r = await run(['forget', 'E7', '--db', db], stdinWith('yes\n', true));
  expect(r.code).toBe(0);
  const handle = openDatabase(db);
  expect(findEverywhere(handle, 'E7')).toEqual([]);
  handle.close();
});

it('forget --yes erases everything about the person and nothing else, and logs a pseudonymous audit line', async () => {
  const r = await run(['forget', 'E7', '--yes', '--db', db]);
  expect(r.code).toBe(0);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/erased E7/);
  const handle = openDatabase(db);
  try {
    for (const needle of ['E7', 'Xanthe', 'xanthe@hoshizora.example', 'U0XAN0007', 'CLI-PLANT-91']) expect(findEverywhere(handle, needle)).toEqual([]);
    expect(findEverywhere(handle, 'CLI-OTHER-22-journal')).toHaveLength(1);
    const audit = handle.prepare("SELECT actor_hash, subject_hash, detail FROM audit_log WHERE action = 'forget'").all() as Array<{ actor_hash: string | null; subject_hash: string; detail: string }>;
    expect(audit).toHaveLength(1);
    expect(audit[0]!.subject_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(audit[0]!.detail).via).toBe('cli');
  } finally {
    handle.close();
  }
  // A second run finds nobody.
  const again = await run(['forget', 'E7', '--yes', '--db', db]);
  expect(again.code).toBe(1);
});

it('forget accepts a guest’s channel user id', async () => {
  const handle = openDatabase(db);
  new PeopleRepository(handle).createGuest('slack', 'U0GST0099', { name: 'Guest Gary' });
  handle.close();
  const r = await run(['forget', 'U0GST0099', '--yes', '--db', db]);
  expect(r.code).toBe(0);
  const after = openDatabase(db);
  expect(findEverywhere(after, 'U0GST0099')).toEqual([]);
  after.close();
});
