import { makeTestCore, type TestCore } from '../helpers/test-core';

describe('journal: the member sees that their manager prepared a 1on1', () => {
  let core: TestCore;
  beforeAll(() => {
    core = makeTestCore({ TSUMIKI_DEFAULT_LOCALE: 'en' });
    core.importOrg(['M1,Mina Manager,mina@example.com,,,,Europe/London,en', 'E1,Eli Member,eli@example.com,M1,,,Europe/London,en'].join('\n'));
  });
  afterAll(() => core.close());

  it('lists who prepared and when, never what was suggested, and says the journal is private', async () => {
    const member = core.people.byEmployeeId('E1')!;
    core.db.prepare("INSERT INTO journal_entries (person_id, experience, lesson) VALUES (?, 'Ran my first demo', 'Prepare the flow first')").run(member.id);
    await core.ask('M1', '1on1 eli@example.com');
    const replies = await core.ask('E1', 'journal');
    const heading = replies.find((r) => r.kind === 'journal' && r.title === 'Reflection journal')!;
    expect(heading.text).toContain('Only you can see this journal');
    expect(heading.text).toMatch(/Mina Manager prepared a 1on1 with Tsumiki on .+ \(using only what you shared\)/);
    const all = replies.map((r) => r.text).join('\n');
    expect(all).toContain('Ran my first demo');
    expect(all).not.toMatch(/\?\s*$/m); // no suggested 1on1 questions leak into the member's view
  });
});
