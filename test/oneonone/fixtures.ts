/**
 * A small organisation for 1on1 tests, journal rows inserted directly (the reflections feature
 * writes them in production), and a tiny document folder for the opportunities.
 *
 *   HR1 Haruka Jinji (HR role)
 *   D1  Daisuke Ono             ← skip-level manager of A
 *   ├─ M1 Kenji Tanaka (en)     ← A's direct manager
 *   │   ├─ A  Hanako Sato       ← the member (Slack U0000AAA)
 *   │   └─ B  Hanako Suzuki     ← A's peer; "Hanako" is ambiguous for M1
 *   └─ M2 Mika Kato             ← peer manager
 *       └─ C  Taro Yamada
 *   E  Emi Noda                 ← no manager in the organisation data
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Reply } from '../../src/core/types';
import { makeTestCore, tempDir, type TestCore } from '../helpers/test-core';

export const ORG = `
HR1,Haruka Jinji,haruka.jinji@example.com,,,,Asia/Tokyo,ja
D1,Daisuke Ono,daisuke.ono@example.com,,,,Asia/Tokyo,ja
M1,Kenji Tanaka,kenji.tanaka@example.com,D1,U0000M11,,Asia/Tokyo,en
M2,Mika Kato,mika.kato@example.com,D1,,,Asia/Tokyo,ja
A,Hanako Sato,hanako.sato@example.com,M1,U0000AAA,,Asia/Tokyo,ja
B,Hanako Suzuki,hanako.suzuki@example.com,M1,,,Asia/Tokyo,ja
C,Taro Yamada,taro.yamada@example.com,M2,U0000CCC,,Asia/Tokyo,ja
E,Emi Noda,emi.noda@example.com,,,,Asia/Tokyo,ja
`;

/** The phrase that must never leave the member's private journal. */
export const PLANTED = 'PLANTED-7Q2X 月曜の朝が怖くて辞めたいと思っている';
/** A shared lesson (per-entry shared, or `share on`) that should personalise the suggestions. */
/** Five questions a model might suggest from the shared lesson, one per category. */
export const MODEL_QUESTIONS = [
    { category: 'history', text: 'Which customer conversation shaped how you work today?' },
    { category: 'present', text: 'How does listening to customers feel in your current work?' },
    { category: 'future', text: 'Where would you like to use your listening skills next?' },
    { category: 'meaning', text: 'How does your current assignment connect to the customer work you value?' },
    { category: 'learning', text: 'What did reworking the proposal teach you, and what will you try next?' },
];

export const SHARED_LESSON = '顧客の話を最後まで聞くと提案が通りやすい';

export interface JournalRow {
  experience?: string | null;
  reflection?: string | null;
  lesson?: string | null;
  experiment?: string | null;
  experimentOutcome?: string | null;
  themes?: string[];
  shared?: boolean;
  createdAt?: string;
}

export function insertJournal(core: TestCore, employeeId: string, row: JournalRow): number {
  const person = core.people.byEmployeeId(employeeId)!;
  const info = core.db
    .prepare(
      `INSERT INTO journal_entries (person_id, experience, reflection, lesson, experiment, experiment_outcome, themes, shared, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      person.id,
      row.experience ?? null,
      row.reflection ?? null,
      row.lesson ?? null,
      row.experiment ?? null,
      row.experimentOutcome ?? null,
      JSON.stringify(row.themes ?? []),
      row.shared ? 1 : 0,
      row.createdAt ?? new Date().toISOString(),
    );
  return Number(info.lastInsertRowid);
}

/** An entry the member did NOT share, with the planted phrase in every field. */
export function plantUnshared(core: TestCore, employeeId = 'A'): void {
  insertJournal(core, employeeId, {
    experience: `${PLANTED} (experience)`,
    reflection: `${PLANTED} (reflection)`,
    lesson: `${PLANTED} (lesson)`,
    experiment: `${PLANTED} (experiment)`,
    experimentOutcome: `${PLANTED} (outcome)`,
    themes: [PLANTED, '退職'],
    shared: false,
    createdAt: '2026-05-20T09:00:00.000Z',
  });
}

export function setShare(core: TestCore, employeeId: string, on: boolean): void {
  const person = core.people.byEmployeeId(employeeId)!;
  core.people.updatePreferences(person.id, { shareWithManager: on });
}

export function requestCount(core: TestCore): number {
  return (core.db.prepare('SELECT COUNT(*) AS n FROM oneonone_requests').get() as { n: number }).n;
}

/** Everything a person would see: titles, texts, buttons, citations. */
export function visible(replies: Reply[]): string {
  return replies
    .map((r) => [r.title ?? '', r.text, ...(r.actions ?? []).map((a) => `${a.label} ${a.value ?? ''}`), ...(r.sources ?? []).map((s) => `${s.title} ${s.url}`)].join('\n'))
    .join('\n');
}

export function oneonone(replies: Reply[]): Reply {
  const reply = replies.find((r) => r.kind === 'oneonone');
  if (!reply) throw new Error(`no 1on1 reply in: ${visible(replies)}`);
  return reply;
}

/** Numbered question lines of a 1on1 reply. */
export function questionLines(reply: Reply): string[] {
  return reply.text.split('\n').filter((l) => /^\d+\. /.test(l)).map((l) => l.replace(/^\d+\. /, ''));
}

const DOCS: Record<string, string> = {
  'trn-901.md': `---
id: trn-901
kind: training
title: 顧客折衝と提案力 研修
lang: ja
url: https://intra.example/training/trn-901
skills: [顧客, 商談, 提案]
---
顧客の課題を聞き出し、商談で提案をまとめる力を身につける研修です。
`,
  'shd-901.md': `---
id: shd-901
kind: shadowing
title: 営業本部 商談同行プログラム
lang: ja
url: https://intra.example/shadowing/shd-901
skills: [営業, 顧客, 商談]
---
営業担当の商談に同行し、顧客との対話を間近で見るジョブシャドウイングです。
`,
  'pst-901.md': `---
id: pst-901
kind: posting
title: 顧客サクセス担当 (締切済み)
lang: ja
url: https://intra.example/posting/pst-901
skills: [顧客, サクセス]
deadline: 2020-01-31
department: カスタマーサクセス部
location: 東京
eligibility: 在籍2年以上
---
顧客サクセスの社内公募です。
`,
  'gde-901.md': `---
id: gde-901
kind: guide
title: 顧客対応ガイド
lang: ja
url: https://intra.example/guides/gde-901
skills: [顧客]
---
顧客対応の心得です。
`,
};

/** A test core with the organisation and a tiny indexed document folder. */
export async function oneOnOneCore(env: Record<string, string> = {}, options: { clock?: () => Date } = {}): Promise<TestCore> {
  const dataDir = tempDir('tsumiki-1on1-data-');
  for (const [name, body] of Object.entries(DOCS)) fs.writeFileSync(path.join(dataDir, name), body);
  const core = makeTestCore({ TSUMIKI_HR_EMPLOYEE_IDS: 'HR1', TSUMIKI_DATA_DIR: dataDir, ...env }, options);
  core.importOrg(ORG);
  const report = await core.knowledge.ingest(dataDir);
  if (report.problems.length > 0) throw new Error(`ingest problems: ${JSON.stringify(report.problems)}`);
  core.onClose(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  return core;
}
