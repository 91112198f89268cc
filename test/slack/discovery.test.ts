/**
 * Imported employees with an e-mail but no Slack user id: the scheduler asks the Slack sender to
 * find them (users.lookupByEmail against the fake Web API), the identity is linked, and the
 * invitation reaches their DM. Not found, owned by someone else, and rate limited are each handled.
 */
import { queueInvitations } from '../../src/reflections/invitations';
import { blocksText, startSlackTestApp, type SlackTestApp } from './slack-test-app';

let slack: SlackTestApp;
beforeAll(async () => {
  slack = await startSlackTestApp();
  slack.importOrg(
    [
      'E10,Mio Sato,mio@example.com,,,,Asia/Tokyo,en',
      'E11,Ken Ota,ken@example.com,,,,Asia/Tokyo,en',
      'E12,Rin Abe,rin@example.com,,U0RIN,,Asia/Tokyo,en',
      'E13,Rin Abe (second row),RIN@example.com,,,,Asia/Tokyo,en',
      'E14,Yui Mori,yui@example.com,,,,Asia/Tokyo,en',
    ].join('\n'),
  );
  slack.fake.addUser({ id: 'U0MIO', name: 'Mio Sato', email: 'Mio@Example.com' });
  slack.fake.addUser({ id: 'U0RIN', name: 'Rin Abe', email: 'rin@example.com' });
  slack.fake.addUser({ id: 'U0YUI', name: 'Yui Mori', email: 'yui@example.com' });
});
afterAll(async () => {
  await slack.close();
});

const core = () => slack.tsumiki.core;
const personOf = (employeeId: string) => core().people.byEmployeeId(employeeId)!;
const outboxRow = (employeeId: string) =>
  core().db.prepare("SELECT status, last_error, not_before FROM outbox WHERE person_id = ? AND kind = 'invitation'").get(personOf(employeeId).id) as
    | { status: string; last_error: string | null; not_before: string }
    | undefined;
const lookups = (email: string) => slack.fake.callsTo('users.lookupByEmail').filter((c) => String(c.body.email).toLowerCase() === email.toLowerCase());

async function invite(...employeeIds: string[]) {
  const now = new Date();
  queueInvitations(core(), now, employeeIds);
  return slack.tsumiki.scheduler.dispatch(now, { kinds: ['invitation'] });
}

it('finds an employee by e-mail, links the identity and delivers the invitation to their DM', async () => {
  expect(core().people.identitiesOf(personOf('E10').id)).toHaveLength(0);
  const report = await invite('E10');
  expect(report.sent).toBe(1);
  expect(lookups('mio@example.com')).toHaveLength(1);
  const identity = core().people.identity('slack', 'U0MIO');
  expect(identity?.personId).toBe(personOf('E10').id);
  const post = slack.fake.callsTo('chat.postMessage').find((c) => c.body.channel === 'D0MIO');
  expect(post).toBeDefined();
  expect(blocksText(post!.body.blocks).length).toBeGreaterThan(0);
  expect(outboxRow('E10')?.status).toBe('sent');
});

it('fails clearly when Slack has no user with the e-mail, and does not ask again for a while', async () => {
  const report = await invite('E11');
  expect(report.failed).toBe(1);
  expect(outboxRow('E11')).toMatchObject({ status: 'failed', last_error: 'person has no reachable channel identity' });
  expect(lookups('ken@example.com')).toHaveLength(1);
  // A later message for the same person (e.g. a weekly prompt) does not repeat the look-up.
  const sender = core().senders.get('slack')!;
  expect(await sender.discover!({ personId: personOf('E11').id, email: 'ken@example.com' })).toEqual({ linked: false });
  expect(lookups('ken@example.com')).toHaveLength(1);
});

it('never moves a Slack identity that already belongs to another employee', async () => {
  const report = await invite('E13');
  expect(report.failed).toBe(1);
  expect(core().people.identity('slack', 'U0RIN')?.personId).toBe(personOf('E12').id);
  expect(core().people.identitiesOf(personOf('E13').id)).toHaveLength(0);
});

it('a rate-limited look-up leaves the invitation waiting instead of failing it', async () => {
  slack.fake.respondTo('users.lookupByEmail', () => ({ status: 429, headers: { 'Retry-After': '1' } }));
  try {
    const report = await invite('E14');
    expect(report.waiting).toBe(1);
    expect(outboxRow('E14')?.status).toBe('pending');
    expect(core().people.identity('slack', 'U0YUI')).toBeUndefined();
  } finally {
    slack.fake.respondTo('users.lookupByEmail');
  }
  // After the pause, the next pass finds and reaches them.
  await new Promise((r) => setTimeout(r, 1100));
  const later = new Date(Date.now() + 20 * 60_000);
  const report = await slack.tsumiki.scheduler.dispatch(later, { kinds: ['invitation'] });
  expect(report.sent).toBe(1);
  expect(core().people.identity('slack', 'U0YUI')?.personId).toBe(personOf('E14').id);
});
