/**
 * Malformed activities and the Teams client language, over real HTTP against the fake connector.
 * A malformed activity gets a 400 that names the field, runs no turn and stores nothing; an
 * unauthenticated one still gets 401 first. The client `locale` decides the language of a person
 * whose own is unknown, unless the message itself shows another.
 */
import { importOrg } from '../../src/people/org-import';
import { cardOf, cardTexts, startTeamsHarness, teamsActivity, type TeamsHarness } from './teams-helpers';

/** Hiragana: any Japanese sentence has it. */
const JAPANESE = /[\u3040-\u309f]/;

/** Everything the bot said in messages (text and card texts), joined. */
function saidText(h: TeamsHarness, from = 0): string {
  return h.connector.activities
    .slice(from)
    .filter((a) => a.activity.type === 'message')
    .map((a) => [a.activity.text ?? '', ...cardTexts(cardOf(a.activity))].join('\n'))
    .join('\n')
    .replace(/積み木/g, ''); // the product's name, shown in English texts too
}

describe('malformed activities (local mode)', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  const cases: Array<[string, (a: Record<string, unknown>) => void, RegExp]> = [
    ['no type', (a) => delete a.type, /^type: /],
    ['a type that is an object', (a) => (a.type = { x: 1 }), /^type: /],
    ['text that is a number', (a) => (a.text = 42), /^text: /],
    ['locale that is an object', (a) => (a.locale = { lang: 'ja' }), /^locale: /],
    ['attachments that is not an array', (a) => (a.attachments = 'file.png'), /^attachments: /],
    ['a null attachment', (a) => (a.attachments = [null]), /^attachments\.0: /],
    ['from.id that is a number', (a) => (a.from = { id: 12345, name: 'x' }), /^from\.id: /],
    ['an aadObjectId that is an object', (a) => (a.from = { id: '29:u', aadObjectId: { oid: 1 } }), /^from\.aadObjectId: /],
    ['no from', (a) => delete a.from, /^from: /],
    ['no conversation', (a) => delete a.conversation, /^conversation: /],
    ['conversation.id that is an array', (a) => (a.conversation = { id: ['a'], conversationType: 'personal' }), /^conversation\.id: /],
    ['an empty conversation.id', (a) => (a.conversation = { id: '  ', conversationType: 'personal' }), /^conversation\.id: /],
    ['a mention without mentioned.id', (a) => (a.entities = [{ type: 'mention', text: '<at>Tsumiki</at>', mentioned: null }]), /^entities\.0: /],
  ];

  it.each(cases)('%s: 400 naming the field, no reply, nothing stored', async (_name, breakIt, field) => {
    const people = (h.app.core.db.prepare('SELECT COUNT(*) AS n FROM people').get() as { n: number }).n;
    const before = h.connector.activities.length;
    const activity = teamsActivity(h.connector, { text: 'help', aadObjectId: 'aad-malformed' });
    breakIt(activity);
    const res = await h.post(activity);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('malformed activity');
    expect(res.body.problems.some((p: string) => field.test(p))).toBe(true);
    expect(h.connector.activities.length).toBe(before);
    expect((h.app.core.db.prepare('SELECT COUNT(*) AS n FROM people').get() as { n: number }).n).toBe(people);
  });

  it('answers 400 to a body that is a JSON array, not an activity', async () => {
    const res = await fetch(`${h.app.http.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1,2]' });
    expect(res.status).toBe(400);
  });

  it('keeps fields it does not know and tolerates nulls Teams may send for absent ones', async () => {
    const before = h.connector.activities.length;
    const res = await h.post(teamsActivity(h.connector, { text: 'help', extra: { attachments: null, entities: [{ type: 'clientInfo', locale: 'ja-JP', platform: 'Web' }], someFutureField: { a: 1 } } }));
    expect(res.status).toBe(200);
    expect(h.connector.activities.length).toBeGreaterThan(before);
  });

  it('still serves a normal turn after malformed ones', async () => {
    const before = h.connector.activities.length;
    const res = await h.post(teamsActivity(h.connector, { text: 'help' }));
    expect(res.status).toBe(200);
    expect(saidText(h, before)).not.toBe('');
  });
});

describe('malformed activities with MicrosoftAppId set', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness({ MicrosoftAppId: '11111111-2222-3333-4444-555555555555', MicrosoftAppPassword: 'not-a-real-secret', MicrosoftAppType: 'MultiTenant' });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('answers 401, not 400, to an unauthenticated malformed activity, revealing nothing', async () => {
    const activity = teamsActivity(h.connector, { text: 'help' });
    delete activity.type;
    activity.from = 7;
    for (const headers of [{}, { Authorization: 'Bearer not-a-jwt' }] as Array<Record<string, string>>) {
      const res = await h.post(activity, headers);
      expect(res.status).toBe(401);
      expect(JSON.stringify(res.body ?? '')).not.toMatch(/type|from|malformed/);
    }
    expect(h.connector.activities).toHaveLength(0);
  });
});

describe('the Teams client locale', () => {
  let h: TeamsHarness;
  beforeEach(async () => {
    // The deployment default is Japanese, so English can only come from the client locale.
    h = await startTeamsHarness({ TSUMIKI_DEFAULT_LOCALE: 'ja' });
  });
  afterEach(async () => {
    await h.stop();
  });

  it('answers a new person whose client is en-US in English', async () => {
    const res = await h.post(teamsActivity(h.connector, { text: 'help', locale: 'en-US', aadObjectId: 'aad-en' }));
    expect(res.status).toBe(200);
    const said = saidText(h);
    expect(said).toMatch(/help/i);
    expect(said).not.toMatch(JAPANESE);
    expect(h.app.core.people.byId(h.app.core.people.identity('teams', 'aad-en')!.personId)!.locale).toBe('en');
  });

  it('answers a new person whose client is ja-JP in Japanese', async () => {
    await h.post(teamsActivity(h.connector, { text: 'help', locale: 'ja-JP', aadObjectId: 'aad-ja' }));
    expect(saidText(h)).toMatch(JAPANESE);
  });

  it('lets the message language win over the client locale', async () => {
    let seen: string | undefined;
    h.app.core.router.setConsultation(({ locale }) => {
      seen = locale;
      return [{ kind: 'info', locale, text: locale === 'ja' ? 'はい' : 'yes' }];
    });
    await h.post(teamsActivity(h.connector, { text: 'キャリアについて相談したいです', locale: 'en-US', aadObjectId: 'aad-mixed' }));
    expect(seen).toBe('ja');
  });

  it('uses the client locale for an imported employee whose file gives no language', async () => {
    importOrg(h.app.core.db, h.app.core.people, 'employee_id,name,email,manager_id,slack_user_id,teams_aad_object_id,timezone,locale\nE200,Alex Kim,alex@example.com,,,6f1c2a3b-0000-4000-8000-00000000a1e0,Asia/Tokyo,\n');
    let seen: string | undefined;
    h.app.core.router.setConsultation(({ turn, locale }) => {
      seen = `${turn.actor.employeeId}:${turn.actor.locale}:${locale}`;
      return [{ kind: 'info', locale, text: 'ok' }];
    });
    await h.post(teamsActivity(h.connector, { text: 'cloud', locale: 'en-GB', aadObjectId: '6f1c2a3b-0000-4000-8000-00000000a1e0' }));
    expect(seen).toBe('E200:en:en');
  });

  it('falls back to the default for a locale it does not serve', async () => {
    await h.post(teamsActivity(h.connector, { text: 'help', locale: 'fr-FR', aadObjectId: 'aad-fr' }));
    expect(saidText(h)).toMatch(JAPANESE);
  });
});
