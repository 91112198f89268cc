/**
 * `npm run bench:oneonone`: how long a manager waits for 1on1 suggestions at company scale.
 *
 *  - 10,000 people in the organisation (teams of 8), the member with 200 journal entries
 *    (a quarter shared one by one), `share on`; the sample documents in data/ indexed.
 *  - `1on1 <e-mail>` by the direct manager, offline (question bank). Target p95 ≤ 150 ms.
 *  - `1on1 <partial name>` by HR, who may see everyone (the name is matched over all 10,000). Target p95 ≤ 250 ms.
 *  - `1on1 <e-mail>` with the model: the fake OpenAI-compatible server on 127.0.0.1 answering
 *    at once, i.e. our own overhead around the model call. Target p95 ≤ 250 ms.
 *  - `sharedContextFor` alone (the one read of the journal). Target p95 ≤ 5 ms.
 *
 * Writes bench/results/oneonone.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { buildCore, type Core } from '../src/app';
import { loadConfig } from '../src/config/config';
import { sharedContextFor } from '../src/oneonone/shared-context';
import { startFakeOpenAI } from '../test/fakes/fake-openai';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 60);

const MODEL_ANSWER = JSON.stringify({
  opening: 'Start by asking what they would like to talk about.',
  questions: [
    { category: 'history', text: 'Which experience shaped how you work today?' },
    { category: 'present', text: 'How does your work feel these days?' },
    { category: 'future', text: 'Where would you like to be in three years?' },
    { category: 'meaning', text: 'How does your current assignment connect to your career?' },
    { category: 'learning', text: 'What did your last project teach you?' },
  ],
});

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(runs: number, fn: () => Promise<unknown> | unknown): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 3; i++) await fn(); // warm-up: prepared statements, the bank, the prompt
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function setUp(dir: string, env: Record<string, string>): Promise<Core> {
  const config = loadConfig({
    NODE_ENV: 'test',
    TSUMIKI_DB: path.join(dir, `bench-${Object.keys(env).length}.db`),
    TSUMIKI_PLAYGROUND: 'off',
    TSUMIKI_SCHEDULER: 'off',
    TSUMIKI_HR_EMPLOYEE_IDS: 'HR0',
    ...env,
  });
  const core = buildCore(config, pino({ level: 'silent' }));
  core.db.transaction(() => {
    core.people.upsertFromOrg({ employeeId: 'HR0', name: 'Hana Jinji', email: 'hr0@example.com', managerEmployeeId: null, slackUserId: null, teamsAadObjectId: null, timezone: null, locale: 'en' });
    for (let i = 1; i <= PEOPLE; i++) {
      const manager = i % 8 === 1 ? null : `E${i - ((i - 1) % 8)}`; // every 8th person leads the next 7
      core.people.upsertFromOrg({
        employeeId: `E${i}`,
        name: `Person ${i} Example`,
        email: `person${i}@example.com`,
        managerEmployeeId: manager,
        slackUserId: null,
        teamsAadObjectId: null,
        timezone: 'Asia/Tokyo',
        locale: 'en',
      });
    }
  })();
  const member = core.people.byEmployeeId('E2')!;
  core.people.updatePreferences(member.id, { shareWithManager: true });
  const insert = core.db.prepare(
    'INSERT INTO journal_entries (person_id, experience, reflection, lesson, experiment, themes, shared, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  core.db.transaction(() => {
    for (let i = 0; i < 200; i++) {
      insert.run(
        member.id,
        `experience ${i}`,
        `private reflection ${i}`,
        `lesson ${i}: ask customers before assuming`,
        `try ${i}`,
        JSON.stringify(['顧客', 'リーダー']),
        i % 4 === 0 ? 1 : 0,
        new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString(),
      );
    }
  })();
  await core.knowledge.ingest(path.resolve(__dirname, '..', 'data'));
  return core;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsumiki-bench-1on1-'));
  const fake = await startFakeOpenAI({ reply: MODEL_ANSWER });
  const rows: string[] = [];
  const row = (what: string, r: { p50: number; p95: number }, target: number) =>
    rows.push(`| ${what} | ${r.p50.toFixed(1)} ms | ${r.p95.toFixed(1)} ms | ≤ ${target} ms | ${r.p95 <= target ? '✅' : '❌'} |`);
  try {
    const offline = await setUp(dir, {});
    const manager = offline.actors.forEmployee('E1');
    const hr = offline.actors.forEmployee('HR0');
    const turn = (actor: typeof manager, text: string) => offline.router.handle({ actor, surface: 'cli', threadKey: 'bench', text });
    row('`1on1 person2@example.com` by the direct manager, offline', await measure(RUNS, () => turn(manager, '1on1 person2@example.com')), 150);
    row(`\`1on1 Person 2 Example\` by HR (name matched over ${PEOPLE.toLocaleString('en-US')} people), offline`, await measure(RUNS, () => turn(hr, '1on1 Person 2 Example')), 250);
    const memberId = offline.people.byEmployeeId('E2')!.id;
    row('`sharedContextFor` (200 entries, share on)', await measure(RUNS * 5, () => sharedContextFor(offline.db, memberId)), 5);
    await offline.close();

    const online = await setUp(dir, { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'bench' });
    const onlineManager = online.actors.forEmployee('E1');
    row(
      '`1on1 person2@example.com` with the model (fake server answering at once: our overhead)',
      await measure(RUNS, () => online.router.handle({ actor: onlineManager, surface: 'cli', threadKey: 'bench', text: '1on1 person2@example.com' })),
      250,
    );
    await online.close();
  } finally {
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const cpus = os.cpus();
  const report = `# 1on1 suggestions benchmark

Run: ${new Date().toISOString()} · Node ${process.version} · ${cpus.length} CPU(s) (${cpus[0]?.model.split(' ').slice(0, 2).join(' ') ?? '?'}) · \`npm run bench:oneonone\`

Organisation: ${PEOPLE.toLocaleString('en-US')} people in teams of 8; the member has 200 journal entries (a quarter shared one by one) and \`share on\`; the sample documents in \`data/\` indexed (full-text search; no embeddings). ${RUNS} timed runs each after 3 warm-up runs, through the router as a chat turn.

| measure | p50 | p95 | target | |
| --- | --- | --- | --- | --- |
${rows.join('\n')}

Each request also writes its record (oneonone_requests), so the runs include that write and the no-repeat history grows as they go.
`;
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'results', 'oneonone.md'), report);
  process.stdout.write(report);
}

main().catch((error) => {
  process.stderr.write(`bench:oneonone failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
