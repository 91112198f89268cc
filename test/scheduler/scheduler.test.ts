/**
 * The scheduler with a fake clock and a recording ProactiveSender: consent, exactly-once weekly
 * prompts in each person's zone (DST, odd offsets), catch-up, the reminder, pause and skip, the
 * closed loop across weeks, the four-weekly summary, permanent errors and Retry-After.
 */
import { buildCore } from '../../src/app';
import { createScheduler, type Scheduler } from '../../src/scheduler';
import { makeTestCore, type TestCore } from '../helpers/test-core';
import { RecordingSender } from './recording-sender';
import pino from 'pino';
import { queueInvitations } from '../../src/reflections/invitations';
import { recordNoticeShown } from '../../src/privacy/purpose-notice';

const FAST = { slack: { perSecond: 1000, perConversationPerSecond: 1000 }, teams: { perSecond: 1000, perConversationPerSecond: 1000 } };

const ORG = [
  'E001,Aoi Sato,aoi@example.com,,U0AAAA001,,Asia/Tokyo,ja',
  'E002,Ben Miller,ben@example.com,,U0AAAA002,,America/New_York,en',
  'E003,Chloe Smith,chloe@example.com,,U0AAAA003,,Europe/London,en',
  'E004,Dev Patel,dev@example.com,,U0AAAA004,,Asia/Kolkata,en',
].join('\n');

let now: Date;
let core: TestCore;
let sender: RecordingSender;
let scheduler: Scheduler;

const at = (iso: string) => {
  now = new Date(iso);
  return now;
};
const tick = (iso: string) => scheduler.tick(at(iso));
const dm = (employeeId: string, text: string) => {
  const actor = core.actors.forEmployee(employeeId);
  return core.router.handle({ actor, surface: 'dm', threadKey: `dm:${actor.personId}`, text });
};
const click = (employeeId: string, id: string, value?: string, inputs?: Record<string, string>) => {
  const actor = core.actors.forEmployee(employeeId);
  return core.router.handle({ actor, surface: 'dm', threadKey: `dm:${actor.personId}`, action: { id, value, inputs } });
};
const prompts = (externalId: string) => sender.to(externalId).filter((m) => m.key?.startsWith('reflection:'));

beforeEach(() => {
  now = new Date('2026-10-01T00:00:00Z');
  core = makeTestCore({}, { clock: () => now });
  core.importOrg(ORG);
  sender = new RecordingSender('slack');
  core.senders.set('slack', sender);
  scheduler = createScheduler(core, { limits: FAST, rateClock: () => now.getTime() });
  // Everyone has seen the purpose notice already, so replies below are the feature's own.
  for (const id of ['E001', 'E002', 'E003', 'E004']) recordNoticeShown(core.db, core.actors.forEmployee(id).personId, now);
});

afterEach(async () => {
  await core.close();
});

async function acceptAll(): Promise<void> {
  for (const id of ['E001', 'E002', 'E003', 'E004']) {
    const replies = await dm(id, 'schedule on');
    expect(replies[0]!.kind).toBe('settings');
  }
}

describe('consent', () => {
  test('no weekly prompt without consent; the invitation goes out once with an accept button', async () => {
    await tick('2026-11-20T07:00:00Z'); // Friday 16:00 in Tokyo
    expect(sender.sent).toHaveLength(0);

    expect(queueInvitations(core, now).queued).toBe(4);
    await scheduler.dispatch(now);
    expect(sender.sent).toHaveLength(4);
    const invitation = sender.to('U0AAAA001')[0]!.replies[0]!;
    expect(invitation.kind).toBe('invitation');
    expect(invitation.text).toContain('見られる人');
    expect(invitation.actions?.[0]).toMatchObject({ id: 'reflect.accept' });
    expect(sender.to('U0AAAA002')[0]!.replies[0]!.text).toContain('Who sees what');
    // Invited people are not invited again.
    expect(queueInvitations(core, now).queued).toBe(0);
    expect(queueInvitations(core, now, ['E001', 'NOPE']).unknown).toEqual(['NOPE']);

    const accepted = await click('E001', 'reflect.accept');
    expect(accepted[0]!.text).toContain('毎週 金曜日 16:00');
    const consent = core.db.prepare("SELECT granted, notice_version FROM consents WHERE kind = 'weekly_reflection'").get() as { granted: number; notice_version: string };
    expect(consent.granted).toBe(1);
    sender.clear();
    await tick('2026-11-27T07:00:00Z');
    expect(sender.sent.map((m) => m.target.externalId)).toEqual(['U0AAAA001']);
  });

  test('schedule off stops prompts at once; people who already decided are not invited', async () => {
    await acceptAll();
    expect(queueInvitations(core, now).queued).toBe(0);
    await dm('E001', 'schedule off');
    await tick('2026-11-20T07:00:00Z');
    expect(prompts('U0AAAA001')).toHaveLength(0);
  });
});

describe('weekly prompts in each person’s zone', () => {
  test('each person gets exactly one prompt at Friday 16:00 local, whatever the zone', async () => {
    await acceptAll();
    await tick('2026-11-20T06:59:00Z');
    expect(sender.sent).toHaveLength(0);
    await tick('2026-11-20T07:00:00Z'); // Tokyo 16:00
    expect(sender.sent.map((m) => m.target.externalId)).toEqual(['U0AAAA001']);
    await tick('2026-11-20T07:00:30Z'); // same minute, again
    await tick('2026-11-20T07:01:00Z');
    expect(sender.sent).toHaveLength(1);
    await tick('2026-11-20T10:30:00Z'); // Kolkata 16:00 (UTC+5:30)
    expect(sender.to('U0AAAA004')).toHaveLength(1);
    await tick('2026-11-20T16:00:00Z'); // London 16:00 (GMT)
    expect(sender.to('U0AAAA003')).toHaveLength(1);
    await tick('2026-11-20T21:00:00Z'); // New York 16:00 (EST)
    expect(sender.to('U0AAAA002')).toHaveLength(1);
    expect(sender.sent).toHaveLength(4);
    const first = sender.to('U0AAAA001')[0]!;
    expect(first.key).toBe(`reflection:${core.actors.forEmployee('E001').personId}:2026-W47`);
    expect(first.replies[0]!.text).toContain('今週、どんなことに取り組みましたか');
    expect(first.replies[0]!.inputs?.[0]?.id).toBe('answer');
  });

  test('across the end of daylight saving time New York and London keep 16:00 local', async () => {
    await acceptAll();
    // London: BST until 25 Oct; New York: EDT until 1 Nov 2026.
    await tick('2026-10-23T15:00:00Z'); // London 16:00 BST
    await tick('2026-10-23T20:00:00Z'); // New York 16:00 EDT
    expect(prompts('U0AAAA003')).toHaveLength(1);
    expect(prompts('U0AAAA002')).toHaveLength(1);
    await tick('2026-10-30T15:00:00Z'); // London is now GMT: 15:00 local, not yet
    expect(prompts('U0AAAA003')).toHaveLength(1);
    await tick('2026-10-30T16:00:00Z');
    expect(prompts('U0AAAA003')).toHaveLength(2);
    await tick('2026-10-30T20:00:00Z'); // New York still EDT on 30 Oct
    expect(prompts('U0AAAA002')).toHaveLength(2);
    await tick('2026-11-06T20:00:00Z'); // New York now EST: 15:00 local
    expect(prompts('U0AAAA002')).toHaveLength(2);
    await tick('2026-11-06T21:00:00Z');
    expect(prompts('U0AAAA002')).toHaveLength(3);
  });

  test('a slot in the spring-forward gap is sent once, an hour later in wall time', async () => {
    await acceptAll();
    at('2026-03-01T00:00:00Z');
    await dm('E002', 'schedule sun 02:30'); // 8 March 2026, 02:00 → 03:00 in New York
    await tick('2026-03-08T06:30:00Z'); // would be 01:30 EST: nothing
    expect(prompts('U0AAAA002')).toHaveLength(0);
    await tick('2026-03-08T07:30:00Z'); // 03:30 EDT = the 02:30 slot moved past the gap
    expect(prompts('U0AAAA002')).toHaveLength(1);
    await tick('2026-03-08T08:30:00Z');
    expect(prompts('U0AAAA002')).toHaveLength(1);
  });
});

describe('catch-up after downtime', () => {
  test('a slot missed earlier the same local day is sent; one from an earlier day is not', async () => {
    await acceptAll();
    // Down from Friday morning until Friday 22:00 in Tokyo (13:00Z): Tokyo's 16:00 is caught up.
    await tick('2026-11-20T13:00:00Z');
    expect(prompts('U0AAAA001')).toHaveLength(1);
    // Kolkata's 16:00 was 10:30Z, it is 18:30 there: still the same day, sent too.
    expect(prompts('U0AAAA004')).toHaveLength(1);
    // Back only on Saturday 01:00 in London: Friday's slot is not sent late.
    await tick('2026-11-21T01:00:00Z');
    expect(prompts('U0AAAA003')).toHaveLength(0);
    // …but next Friday's is.
    await tick('2026-11-27T16:00:00Z');
    expect(prompts('U0AAAA003')).toHaveLength(1);
  });
});

describe('the reminder', () => {
  test('one reminder two days later when unanswered, none when answered', async () => {
    await acceptAll();
    await tick('2026-11-20T07:00:00Z');
    await tick('2026-11-20T10:30:00Z');
    await dm('E004', 'I led my first design review.');
    await tick('2026-11-22T06:59:00Z');
    expect(sender.sent.filter((m) => m.key?.startsWith('reminder:'))).toHaveLength(0);
    await tick('2026-11-22T07:00:00Z');
    const reminders = sender.sent.filter((m) => m.key?.startsWith('reminder:'));
    expect(reminders.map((m) => m.target.externalId)).toEqual(['U0AAAA001']);
    expect(reminders[0]!.replies[0]!.text).toContain('金曜日');
    await tick('2026-11-22T10:30:00Z');
    await tick('2026-11-23T07:00:00Z');
    await tick('2026-11-24T07:00:00Z');
    expect(sender.sent.filter((m) => m.key?.startsWith('reminder:'))).toHaveLength(1);
  });
});

describe('pause and skip', () => {
  test('pause 2w holds two Fridays; resume brings them back; pause week skips the next one', async () => {
    await acceptAll();
    at('2026-11-16T00:00:00Z');
    const paused = await dm('E003', 'pause 2w');
    expect(paused[0]!.text).toContain('paused until 2026-11-29');
    await tick('2026-11-20T16:00:00Z');
    await tick('2026-11-27T16:00:00Z');
    expect(prompts('U0AAAA003')).toHaveLength(0);
    await tick('2026-12-04T16:00:00Z');
    expect(prompts('U0AAAA003')).toHaveLength(1);

    const skipped = await dm('E003', 'pause week');
    expect(skipped[0]!.text).toContain('skipped');
    await tick('2026-12-11T16:00:00Z');
    expect(prompts('U0AAAA003')).toHaveLength(1);
    await tick('2026-12-18T16:00:00Z');
    expect(prompts('U0AAAA003')).toHaveLength(2);
  });
});

describe('the closed loop and the four-weekly summary', () => {
  test('next week recalls the planned experiment; every fourth week brings a summary with an opportunity', async () => {
    await core.knowledge.ingest('data');
    await acceptAll();
    const fridays = ['2026-11-06', '2026-11-13', '2026-11-20', '2026-11-27'];
    for (const [i, day] of fridays.entries()) {
      await tick(`${day}T07:00:00Z`);
      const latest = prompts('U0AAAA001').at(-1)!;
      if (i === 0) expect(latest.replies[0]!.text).toContain('今週、どんなことに取り組みましたか');
      else {
        expect(latest.replies[0]!.text).toContain(`先週は「朝会で${i}回目の振り返りを試す」をためしてみると決めていました`);
        const outcome = await dm('E001', `うまくいった(${i})`);
        expect(outcome[0]!.title).toContain('経験');
      }
      await dm('E001', 'AWS のクラウド移行で初めて設計レビューを担当した');
      await dm('E001', '先輩から前提の説明が足りないとフィードバックをもらった');
      await dm('E001', 'クラウド設計は前提を先に共有すると議論が早い');
      const saved = await dm('E001', `朝会で${i + 1}回目の振り返りを試す`);
      expect(saved[0]!.title).toBe('ふりかえりを保存しました');
    }
    const entries = core.db.prepare('SELECT experiment, experiment_outcome FROM journal_entries ORDER BY id').all() as Array<{ experiment: string; experiment_outcome: string | null }>;
    expect(entries).toHaveLength(4);
    expect(entries[0]!.experiment_outcome).toBe('うまくいった(1)');
    expect(entries[2]!.experiment_outcome).toBe('うまくいった(3)');
    const summaries = sender.to('U0AAAA001').filter((m) => m.key?.startsWith('summary:'));
    expect(summaries).toHaveLength(1);
    expect(summaries[0]!.key).toContain('2026-W48');
    const summary = summaries[0]!.replies[0]!;
    expect(summary.text).toContain('クラウド設計は前提を先に共有すると議論が早い');
    expect(summary.text).toMatch(/次の経験の候補.*\]\(https?:\/\//);
    expect(summary.sources?.[0]?.kind).toMatch(/training|posting|shadowing/);
  });
});

describe('delivery failures', () => {
  test('a permanent error marks the identity unreachable and stops retries', async () => {
    await acceptAll();
    sender.script.push({ ok: false, permanent: true, reason: 'account_inactive' });
    const report = await tick('2026-11-20T07:00:00Z');
    expect(report.failed).toBe(1);
    const identity = core.people.identity('slack', 'U0AAAA001')!;
    expect(identity.reachable).toBe(false);
    expect(identity.unreachableReason).toBe('account_inactive');
    await tick('2026-11-20T07:05:00Z');
    expect(sender.sent).toHaveLength(0);
  });

  test('Retry-After is honoured before the next attempt', async () => {
    await acceptAll();
    sender.script.push({ ok: false, permanent: false, reason: 'ratelimited', retryAfterMs: 120_000 });
    const first = await tick('2026-11-20T07:00:00Z');
    expect(first.retried).toBe(1);
    await tick('2026-11-20T07:01:00Z');
    expect(sender.sent).toHaveLength(0);
    await tick('2026-11-20T07:02:00Z');
    expect(prompts('U0AAAA001')).toHaveLength(1);
  });

  test('with no running channel, messages wait in the outbox instead of failing', async () => {
    await acceptAll();
    core.senders.delete('slack');
    const report = await tick('2026-11-20T07:00:00Z');
    expect(report.waiting).toBe(1);
    core.senders.set('slack', sender);
    await tick('2026-11-20T07:16:00Z');
    expect(prompts('U0AAAA001')).toHaveLength(1);
  });
});

describe('two schedulers on one database', () => {
  test('ticking together they send each prompt once', async () => {
    await acceptAll();
    const other = buildCore(core.config, pino({ level: 'silent' }), { clock: () => now });
    const otherSender = new RecordingSender('slack');
    other.senders.set('slack', otherSender);
    const otherScheduler = createScheduler(other, { limits: FAST });
    try {
      at('2026-11-20T12:00:00Z'); // Friday evening in Tokyo and Kolkata: both slots are due (catch-up)
      await Promise.all([scheduler.tick(now), otherScheduler.tick(now), scheduler.tick(now), otherScheduler.tick(now)]);
      at('2026-11-20T21:00:00Z'); // London and New York
      await Promise.all([scheduler.tick(now), otherScheduler.tick(now), scheduler.tick(now), otherScheduler.tick(now)]);
      const all = [...sender.sent, ...otherSender.sent].filter((m) => m.key?.startsWith('reflection:'));
      expect(all.map((m) => m.target.externalId).sort()).toEqual(['U0AAAA001', 'U0AAAA002', 'U0AAAA003', 'U0AAAA004']);
    } finally {
      await other.close();
    }
  });
});
