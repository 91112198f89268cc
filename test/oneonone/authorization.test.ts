/**
 * Who may prepare a 1on1 about Hanako Sato (A): her direct manager and HR, nobody else. Every
 * refusal says why and what to do, records no preparation and shows nothing she shared.
 */
import { reflectionOverview } from '../../src/reflections/overview';
import type { TestCore } from '../helpers/test-core';
import { insertJournal, oneOnOneCore, oneonone, requestCount, setShare, SHARED_LESSON, visible } from './fixtures';

let core: TestCore;

beforeEach(async () => {
  core = await oneOnOneCore();
  setShare(core, 'A', true);
  insertJournal(core, 'A', { lesson: SHARED_LESSON, themes: ['顧客'], createdAt: '2026-05-01T09:00:00.000Z' });
});
afterEach(async () => {
  await core.close();
});

async function slackTurn(slackUserId: string, text: string) {
  const actor = await core.actors.resolve('slack', slackUserId, { name: 'Someone' });
  return core.router.handle({ actor, surface: 'command', threadKey: `slack:${slackUserId}`, text });
}

describe('authorization matrix for `1on1 Hanako Sato`', () => {
  const allowed: Array<[string, string]> = [
    ['direct manager (M1)', 'M1'],
    ['HR role (HR1)', 'HR1'],
  ];
  test.each(allowed)('%s gets suggestions, and the request is recorded', async (_who, asker) => {
    const replies = await core.ask(asker, '1on1 hanako.sato@example.com');
    const reply = oneonone(replies);
    expect(reply.title).toContain('Hanako Sato');
    expect(reply.private).toBe(true);
    expect(requestCount(core)).toBe(1);
    const row = core.db.prepare('SELECT manager_person_id, member_person_id, created_at FROM oneonone_requests').get() as {
      manager_person_id: number;
      member_person_id: number;
      created_at: string;
    };
    expect(row.manager_person_id).toBe(core.people.byEmployeeId(asker)!.id);
    expect(row.member_person_id).toBe(core.people.byEmployeeId('A')!.id);
  });

  const refused: Array<[string, string, RegExp]> = [
    ['skip-level manager (D1)', 'D1', /直属のメンバーではない/],
    ['peer manager (M2)', 'M2', /直属のメンバーではない/],
    ['peer in the same team (B)', 'B', /直属のメンバーではない/],
    ['the member herself (A)', 'A', /ご自身についての1on1準備はできません/],
    ['someone not in the organisation data (X999)', 'X999', /組織に登録されている社員の方だけ|for employees in the organisation directory/],
  ];
  test.each(refused)('%s is refused with a reason', async (_who, asker, reason) => {
    for (const form of ['1on1 hanako.sato@example.com', '1on1 <@U0000AAA>', '1on1 A']) {
      const replies = await core.ask(asker, form);
      const text = visible(replies);
      expect(text).toMatch(reason);
      expect(replies.some((r) => r.kind === 'oneonone')).toBe(false);
      expect(text).not.toContain(SHARED_LESSON);
    }
    expect(requestCount(core)).toBe(0);
  });

  test('an unknown Slack user (a guest) is refused', async () => {
    const replies = await slackTurn('U0UNKNOWN', '1on1 <@U0000AAA>');
    expect(visible(replies)).toMatch(/組織に登録されている社員の方だけ/);
    expect(requestCount(core)).toBe(0);
  });

  test('a manager whose member has no manager in the organisation data is refused', async () => {
    const replies = await core.ask('M1', '1on1 emi.noda@example.com');
    expect(visible(replies)).toContain('Emi Noda is not one of your direct reports');
    expect(visible(replies)).toContain('Hanako Sato (hanako.sato@example.com)'); // what to do instead: their own team
    expect(requestCount(core)).toBe(0);
  });

  test('refusals are audited pseudonymously (no names, no ids in clear)', async () => {
    await core.ask('D1', '1on1 hanako.sato@example.com');
    const rows = core.db.prepare("SELECT actor_hash, subject_hash, detail FROM audit_log WHERE action = '1on1_refused'").all() as Array<
      Record<string, string>
    >;
    expect(rows).toHaveLength(1);
    const line = JSON.stringify(rows);
    expect(line).not.toMatch(/D1|Daisuke|Hanako|hanako/);
    expect(rows[0]!.actor_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('naming the member', () => {
  test('a Slack mention, with or without a label, resolves through the Slack identity', async () => {
    for (const text of ['1on1 <@U0000AAA>', '1on1 <@U0000AAA|hanako>']) {
      const replies = await slackTurn('U0000M11', text);
      expect(oneonone(replies).title).toBe('Preparing your 1on1 with Hanako Sato');
    }
  });

  test('a partial name, case- and space-insensitive, an employee id, an unescaped @name and a Teams mention work', async () => {
    for (const text of ['1on1 hanako sato', '1on1 SATO', '1on1 A', '1on1 Hanako Sato-san', '1on1 @hanako.sato', '1on1 <at>Hanako Sato</at>', '1on1 Ｈａｎａｋｏ　Ｓａｔｏさん']) {
      expect(oneonone(await core.ask('M1', text)).title).toContain('Hanako Sato');
    }
  });

  test('an ambiguous name lists the candidates the asker may see, by name and e-mail', async () => {
    const text = visible(await core.ask('M1', '1on1 hanako'));
    expect(text).toContain('Several people match “hanako”');
    expect(text).toContain('Hanako Sato (hanako.sato@example.com)');
    expect(text).toContain('Hanako Suzuki (hanako.suzuki@example.com)');
    expect(requestCount(core)).toBe(0);
  });

  test('an ambiguous name never lists people outside the asker’s team', async () => {
    // M2's only report is Taro Yamada: "Hanako" is not someone M2 may see, so no candidates are listed.
    const text = visible(await core.ask('M2', '1on1 hanako'));
    expect(text).toContain('直属のメンバーではありません');
    expect(text).not.toContain('hanako.sato@example.com');
    expect(text).not.toContain('hanako.suzuki@example.com');
    expect(text).toContain('Taro Yamada (taro.yamada@example.com)');
  });

  test('an unknown name, e-mail or Slack user says what to do instead', async () => {
    expect(visible(await core.ask('M1', '1on1 Nobody Atall'))).toContain('I found no member matching “Nobody Atall”');
    expect(visible(await core.ask('M1', '1on1 ghost@example.com'))).toContain('ghost@example.com is not in the organisation directory');
    expect(visible(await core.ask('M1', '1on1 <@U0GHOST1>'))).toContain('That Slack user is not in the organisation directory');
    expect(requestCount(core)).toBe(0);
  });

  test('an empty argument explains the usage and offers the asker’s own team as buttons', async () => {
    const replies = await core.ask('M1', '1on1');
    const text = visible(replies);
    expect(text).toContain('Who is the 1on1 with?');
    const buttons = replies.flatMap((r) => r.actions ?? []);
    expect(buttons.map((b) => b.value)).toEqual(['1on1 A', '1on1 B']);
    // The button runs the command: it is the same as typing it.
    const actor = core.actor('M1');
    const clicked = await core.router.handle({ actor, surface: 'command', threadKey: 't', action: { id: 'command', value: '1on1 A' } });
    expect(oneonone(clicked).title).toContain('Hanako Sato');
  });

  test('your own name is recognised as yourself, not as a stranger', async () => {
    expect(visible(await core.ask('M1', '1on1 Kenji'))).toContain('I cannot prepare a 1on1 about yourself');
  });

  test('HR without reports gets the usage, not a list of the whole company', async () => {
    const replies = await core.ask('HR1', '1on1');
    expect(visible(replies)).toContain('誰との1on1か教えてください');
    expect(visible(replies)).not.toContain('@example.com)');
  });

  test('HR may name anyone in the organisation', async () => {
    expect(oneonone(await core.ask('HR1', '1on1 Taro Yamada')).title).toContain('Taro Yamada');
  });
});

describe('the member sees the preparation', () => {
  test('`share` lists who prepared a 1on1 about her, and App Home data has it too', async () => {
    await core.ask('M1', '1on1 hanako.sato@example.com');
    const text = visible(await core.ask('A', 'share'));
    expect(text).toContain('Kenji Tanakaさんが Tsumiki で1on1を準備しました');
    const overview = reflectionOverview(core.db, core.people.byEmployeeId('A')!.id, { defaultTimezone: 'Asia/Tokyo', now: new Date() });
    expect(overview.oneOnOnePreparations.map((p) => p.managerName)).toEqual(['Kenji Tanaka']);
  });

  test('a refused request leaves no preparation for the member to see', async () => {
    await core.ask('D1', '1on1 hanako.sato@example.com');
    expect(visible(await core.ask('A', 'share'))).toContain('これまでに Tsumiki で1on1を準備した人はいません');
  });
});
