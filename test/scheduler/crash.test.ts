/**
 * Exactly once across crashes and processes: scheduler processes are killed with SIGKILL at the
 * worst moments and restarted; two processes tick the same database at once. What the people
 * received is read from the deliveries file the child processes append to.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { buildCore } from '../../src/app';
import { loadConfig } from '../../src/config/config';
import { importOrg } from '../../src/people/org-import';
import { ReflectionRepository } from '../../src/reflections/reflection-repository';
import { ORG_HEADER, tempDir } from '../helpers/test-core';
import { later, outboxStatuses } from './fixtures/outbox-checks';

const ROOT = path.resolve(__dirname, '..', '..');
const CHILD = path.join(__dirname, 'fixtures', 'scheduler-child.ts');
const PEOPLE = 12;
const FRIDAY_TOKYO_1600 = '2026-11-20T07:00:00.000Z';

let dir: string;
let db: string;
let log: string;
const children = new Set<ChildProcess>();

beforeEach(async () => {
  dir = tempDir('tsumiki-crash-');
  db = path.join(dir, 'tsumiki.db');
  log = path.join(dir, 'deliveries.jsonl');
  const core = buildCore(loadConfig({ NODE_ENV: 'test', TSUMIKI_DB: db, TSUMIKI_PLAYGROUND: 'off' }), pino({ level: 'silent' }));
  const rows = Array.from({ length: PEOPLE }, (_, i) => {
    const n = String(i + 1).padStart(3, '0');
    return `E${n},Person ${n},p${n}@example.com,,U0BBBB${n},,Asia/Tokyo,ja`;
  });
  importOrg(core.db, core.people, `${ORG_HEADER}\n${rows.join('\n')}\n`);
  const repo = new ReflectionRepository(core.db, 'Asia/Tokyo');
  for (const p of core.people.allMembers()) repo.setConsent(p.id, true, new Date('2026-11-16T00:00:00Z'));
  await core.close();
});

afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  fs.rmSync(dir, { recursive: true, force: true });
});

function start(mode: string, now: string, extra: Record<string, string> = {}): { child: ChildProcess; output: Promise<string>; waitFor(line: string): Promise<void> } {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', CHILD], {
    cwd: ROOT,
    env: { ...process.env, CHILD_DB: db, CHILD_NOW: now, CHILD_LOG: log, CHILD_MODE: mode, ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ line: string; resolve: () => void }> = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const w of waiters) if (stdout.includes(w.line)) w.resolve();
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const output = new Promise<string>((resolve, reject) =>
    child.on('exit', (code, signal) => {
      children.delete(child);
      if (code === 0 || signal === 'SIGKILL') resolve(stdout);
      else reject(new Error(`child exited ${code ?? signal}: ${stderr}`));
    }),
  );
  return {
    child,
    output,
    waitFor: (line) =>
      new Promise<void>((resolve, reject) => {
        if (stdout.includes(line)) return resolve();
        waiters.push({ line, resolve });
        child.on('exit', () => reject(new Error(`child ended before "${line}": ${stderr}`)));
      }),
  };
}

async function killHard(run: ReturnType<typeof start>): Promise<void> {
  run.child.kill('SIGKILL');
  await run.output;
}

function deliveries(): Array<{ pid: number; to: string; key: string }> {
  if (!fs.existsSync(log)) return [];
  return fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

function perPerson(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of deliveries()) counts.set(d.to, (counts.get(d.to) ?? 0) + 1);
  return counts;
}

const statuses = () => outboxStatuses(db);


test('killed between enqueue and send, then restarted: each person gets exactly one prompt', async () => {
  const first = start('plan-then-hang', FRIDAY_TOKYO_1600);
  await first.waitFor('PLANNED');
  await killHard(first);
  expect(deliveries()).toHaveLength(0);
  expect(statuses()).toEqual({ pending: PEOPLE });

  const second = start('tick', later(FRIDAY_TOKYO_1600, 1));
  await second.output;
  const counts = perPerson();
  expect(counts.size).toBe(PEOPLE);
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
  expect(statuses()).toEqual({ sent: PEOPLE });
});

test('killed mid-send, restarted after the lease: the in-flight prompt is verified, not repeated', async () => {
  const first = start('deliver-then-hang', FRIDAY_TOKYO_1600);
  await first.waitFor('DELIVERED');
  await killHard(first);
  expect(deliveries()).toHaveLength(1);

  const second = start('tick', later(FRIDAY_TOKYO_1600, 6), { CHILD_VERIFY: '1' });
  await second.output;
  const counts = perPerson();
  expect(counts.size).toBe(PEOPLE);
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
  expect(statuses()).toEqual({ sent: PEOPLE });
});

test('killed mid-send on a channel that cannot verify: no duplicate (at most once), everyone else exactly once', async () => {
  const first = start('deliver-then-hang', FRIDAY_TOKYO_1600);
  await first.waitFor('DELIVERED');
  await killHard(first);

  // Within the lease the claim is respected: nothing is resent yet.
  await start('tick', later(FRIDAY_TOKYO_1600, 2)).output;
  expect(deliveries()).toHaveLength(1);

  await start('tick', later(FRIDAY_TOKYO_1600, 6)).output;
  const counts = perPerson();
  expect(counts.size).toBe(PEOPLE);
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
  expect(statuses()).toEqual({ sent: PEOPLE - 1, failed: 1 });
});

test('two processes ticking one database at the same moment send no duplicates', async () => {
  const a = start('tick', FRIDAY_TOKYO_1600);
  const b = start('tick', FRIDAY_TOKYO_1600);
  await Promise.all([a.output, b.output]);
  const counts = perPerson();
  expect(counts.size).toBe(PEOPLE);
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
});
