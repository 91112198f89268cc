/** `share on|off`: the member's own switch, off by default, visible and reversible. */
import type { TestCore } from '../helpers/test-core';
import { oneOnOneCore, visible } from './fixtures';

let core: TestCore;
beforeEach(async () => {
  core = await oneOnOneCore();
});
afterEach(async () => {
  await core.close();
});

const sharing = (employeeId: string) => core.people.byEmployeeId(employeeId)!.shareWithManager;

test('sharing is off by default, and `share` says what that means', async () => {
  expect(sharing('A')).toBe(false);
  const text = visible(await core.ask('A', 'share'));
  expect(text).toContain('今は共有オフです');
  expect(text).toContain('`share on`');
});

test('`share on` and `share off` switch it and explain what the manager will and will not see', async () => {
  const on = await core.ask('A', 'share on');
  expect(sharing('A')).toBe(true);
  expect(visible(on)).toContain('「学び」と「テーマ」が使われます(経験の詳細や内省は使われません)');
  expect(on.find((r) => r.kind === 'settings')?.private).toBe(true);
  const off = await core.ask('A', 'share off');
  expect(sharing('A')).toBe(false);
  expect(visible(off)).toContain('共有をオフにしました');
});

test('the settings reply offers buttons that run the same commands', async () => {
  const replies = await core.ask('A', 'share');
  const values = replies.flatMap((r) => r.actions ?? []).map((a) => a.value);
  expect(values).toEqual(['share on', 'share off']);
  await core.router.handle({ actor: core.actor('A'), surface: 'dm', threadKey: 't', action: { id: 'command', value: 'share on' } });
  expect(sharing('A')).toBe(true);
});

test('English works in English; a bad argument says what to write', async () => {
  const replies = await core.ask('M1', 'share maybe');
  expect(visible(replies)).toContain('Write `share on` or `share off`');
  expect(sharing('M1')).toBe(false);
  expect(visible(await core.ask('M1', 'share on'))).toContain('Sharing is on.');
});

test('in a DM, a question that starts with "share" is not taken as the command', async () => {
  await core.ask('A', 'share my worries about my new team with you', 'dm');
  expect(sharing('A')).toBe(false);
  await core.ask('A', 'share on', 'dm');
  expect(sharing('A')).toBe(true);
});

test('a guest has no manager to share with and is told so', async () => {
  const text = visible(await core.ask('GUEST1', 'share on'));
  expect(text).toMatch(/組織に登録されている社員の方だけ|organisation directory/);
});
