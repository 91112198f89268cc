/** The purpose notice at first contact: what is stored, why, who sees it, how to delete it; recorded with its version and time. */
import { makeTestCore, type TestCore } from '../helpers/test-core';
import { PURPOSE_NOTICE_VERSION } from '../../src/core/messages';

let now = new Date('2026-11-20T01:02:03.000Z');
let core: TestCore;
beforeEach(() => {
  core = makeTestCore({}, { clock: () => now });
  core.importOrg(['E1,Aoi Tanaka,aoi@hoshizora.example,,,,Asia/Tokyo,ja', 'E2,Ben Carter,ben@hoshizora.example,,,,Europe/London,en'].join('\n'));
});
afterEach(() => core.close());

const consent = (employeeId: string) =>
  core.db
    .prepare("SELECT granted, notice_version, decided_at FROM consents WHERE person_id = ? AND kind = 'purpose_notice'")
    .get(core.people.byEmployeeId(employeeId)!.id) as { granted: number; notice_version: string; decided_at: string } | undefined;

it('Japanese: shown once, privately, covering what, why, who and how to delete', async () => {
  const first = await core.ask('E1', 'help', 'dm');
  const welcome = first.find((r) => r.kind === 'welcome')!;
  expect(welcome.private).toBe(true);
  expect(welcome.locale).toBe('ja');
  for (const part of ['保存するもの', '目的', '見られる人', '削除', '`export`', '`forget`', '90日']) expect(welcome.text).toContain(part);
  expect(consent('E1')).toEqual({ granted: 1, notice_version: PURPOSE_NOTICE_VERSION, decided_at: '2026-11-20T01:02:03.000Z' });

  const second = await core.ask('E1', 'help', 'dm');
  expect(second.some((r) => r.kind === 'welcome')).toBe(false);
});

it('English: the same four points', async () => {
  const welcome = (await core.ask('E2', 'help', 'dm')).find((r) => r.kind === 'welcome')!;
  expect(welcome.locale).toBe('en');
  for (const part of ['What is stored', 'Why', 'Who can see it', 'Deleting it', '`export`', '`forget`', '90 days']) expect(welcome.text).toContain(part);
});

it('never in a shared channel, and nothing recorded there', async () => {
  const replies = await core.ask('E1', 'help', 'mention');
  expect(replies.some((r) => r.kind === 'welcome')).toBe(false);
  expect(consent('E1')).toBeUndefined();
});

it('a new notice version is shown again and the new version recorded', async () => {
  await core.ask('E1', 'help', 'dm');
  core.db.prepare("UPDATE consents SET notice_version = '2000-01-01' WHERE kind = 'purpose_notice'").run();
  now = new Date('2026-12-01T00:00:00.000Z');
  const replies = await core.ask('E1', 'help', 'dm');
  expect(replies.some((r) => r.kind === 'welcome')).toBe(true);
  expect(consent('E1')!.notice_version).toBe(PURPOSE_NOTICE_VERSION);
  expect(consent('E1')!.decided_at).toBe('2026-12-01T00:00:00.000Z');
});

it('the notice’s retention figure matches the configured default', () => {
  expect(core.config.retentionDays).toBe(90);
});
