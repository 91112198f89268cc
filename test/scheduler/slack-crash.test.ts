/**
 * Exactly once through Slack across a kill -9: a scheduler process with the real Slack sender is
 * killed while its chat.postMessage is held by the fake Slack Web API, then restarted. The fake
 * keeps what Slack would show the person (each DM's messages with their metadata), so the test
 * counts the prompts each person really got.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { buildCore } from '../../src/app';
import { loadConfig } from '../../src/config/config';
import { importOrg } from '../../src/people/org-import';
import { ReflectionRepository } from '../../src/reflections/reflection-repository';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/fake-slack-api';
import { ORG_HEADER, tempDir } from '../helpers/test-core';
import { later, outboxStatuses } from './fixtures/outbox-checks';

const ROOT = path.resolve(__dirname, '..', '..');
const CHILD = path.join(__dirname, 'fixtures', 'slack-scheduler-child.ts');
const PEOPLE = 6;
const FRIDAY_TOKYO_1600 = '2026-11-20T07:00:00.000Z';
const DMS = Array.from({ length: PEOPLE }, (_, i) => `D0CCCC${String(i + 1).padStart(3, '0')}`);

let dir: string;
let db: string;
let fake: FakeSlackApi;
const children = new Set<ChildProcess>();

const openCore = () => buildCore(loadConfig({ NODE_ENV: 'test', TSUMIKI_DB: db, TSUMIKI_PLAYGROUND: 'off' }), pino({ level: 'silent' }));

beforeEach(async () => {
  dir = tempDir('tsumiki-slack-crash-');
  db = path.join(dir, 'tsumiki.db');
  fake = await startFakeSlackApi();
  const core = openCore();
  const rows = Array.from({ length: PEOPLE }, (_, i) => {
    const n = String(i + 1).padStart(3, '0');
    return `E${n},Person ${n},p${n}@example.com,,U0CCCC${n},,Asia/Tokyo,ja`;
  });
  importOrg(core.db, core.people, `${ORG_HEADER}\n${rows.join('\n')}\n`);
  const repo = new ReflectionRepository(core.db, 'Asia/Tokyo');
  for (const p of core.people.allMembers()) {
    repo.setConsent(p.id, true, new Date('2026-11-16T00:00:00Z'));
    // They have written to the bot before: the DM is known (no conversations.open pacing in the way).
    const identity = core.people.identitiesOf(p.id).find((i) => i.channel === 'slack')!;
    core.people.updateIdentity(identity.id, { dmChannelId: identity.externalId.replace(/^U/, 'D') });
  }
  await core.close();
});

afterEach(async () => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  await fake.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function start(now: string): { child: ChildProcess; output: Promise<string> } {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', CHILD], {
    cwd: ROOT,
    env: { ...process.env, CHILD_DB: db, CHILD_NOW: now, CHILD_SLACK_URL: fake.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const output = new Promise<string>((resolve, reject) =>
    child.on('exit', (code, signal) => {
      children.delete(child);
      if (code === 0 || signal === 'SIGKILL') resolve(stdout);
      else reject(new Error(`child exited ${code ?? signal}: ${stderr}`));
    }),
  );
  return { child, output };
}

/** Runs a scheduler until its first chat.postMessage is held by the fake, then kills it with SIGKILL. */
async function killAtFirstPost(now: string): Promise<void> {
  const run = start(now);
  await Promise.race([fake.waitFor('chat.postMessage', undefined, 20_000), run.output.then(() => Promise.reject(new Error('child ended before posting')))]);
  run.child.kill('SIGKILL');
  await run.output;
}

/** What each person sees: the bot's messages in their DM (here all of them are weekly prompts). */
function promptsPerDm(): Map<string, number> {
  const counts = new Map<string, number>(DMS.map((d) => [d, 0]));
  for (const m of fake.messages()) {
    // Every prompt carries its own outbox key, the one wasDelivered looks for.
    expect(m.metadata).toEqual({ event_type: 'tsumiki_outbox', event_payload: { key: expect.stringMatching(/^reflection:\d+:/) } });
    counts.set(m.channel, (counts.get(m.channel) ?? 0) + 1);
  }
  return counts;
}

const statuses = () => outboxStatuses(db);

const everyoneOnce = () => [...promptsPerDm().values()];

test('killed after the prompt reached Slack, before it was marked sent: after a restart the person has exactly one prompt', async () => {
  fake.hold('chat.postMessage', { processed: true });
  await killAtFirstPost(FRIDAY_TOKYO_1600);
  fake.releaseHeld('chat.postMessage');
  expect(fake.messages()).toHaveLength(1);
  expect(statuses()).toEqual({ sending: PEOPLE });

  // Within the lease the dead process's claims are respected: nothing is resent yet.
  await start(later(FRIDAY_TOKYO_1600, 2)).output;
  expect(fake.messages()).toHaveLength(1);

  await start(later(FRIDAY_TOKYO_1600, 6)).output;
  const check = fake.callsTo('conversations.history');
  expect(check).toHaveLength(1);
  expect(check[0]!.body).toMatchObject({ channel: fake.messages()[0]!.channel, include_all_metadata: 'true' });
  expect(everyoneOnce()).toEqual(Array(PEOPLE).fill(1));
  expect(statuses()).toEqual({ sent: PEOPLE });
});

test('killed before the prompt reached Slack: after a restart it is sent, once', async () => {
  fake.hold('chat.postMessage', { processed: false });
  await killAtFirstPost(FRIDAY_TOKYO_1600);
  fake.releaseHeld('chat.postMessage');
  expect(fake.messages()).toHaveLength(0);

  await start(later(FRIDAY_TOKYO_1600, 6)).output;
  expect(fake.callsTo('conversations.history')).toHaveLength(1);
  expect(everyoneOnce()).toEqual(Array(PEOPLE).fill(1));
  expect(statuses()).toEqual({ sent: PEOPLE });
});

test('Slack cannot be asked at the restart (429): the prompt in doubt is neither resent nor dropped, and is confirmed later', async () => {
  fake.hold('chat.postMessage', { processed: true });
  await killAtFirstPost(FRIDAY_TOKYO_1600);
  fake.releaseHeld('chat.postMessage');

  fake.respondTo('conversations.history', () => ({ status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } }));
  await start(later(FRIDAY_TOKYO_1600, 6)).output;
  expect(promptsPerDm().get(fake.messages()[0]!.channel)).toBe(1);
  expect(statuses().failed).toBeUndefined();
  expect(statuses().sending).toBe(1);

  fake.respondTo('conversations.history');
  await start(later(FRIDAY_TOKYO_1600, 12)).output;
  expect(everyoneOnce()).toEqual(Array(PEOPLE).fill(1));
  expect(statuses()).toEqual({ sent: PEOPLE });
});
