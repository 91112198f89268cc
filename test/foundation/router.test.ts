import pino from 'pino';
import { Router, cleanInput } from '../../src/core/router';
import { registerBuiltinCommands } from '../../src/core/builtin-commands';
import type { Actor, Reply, Turn } from '../../src/core/types';
import { detectLocale } from '../../src/core/language';

const actor: Actor = {
  personId: 1,
  employeeId: 'E1',
  name: 'Hanako',
  isGuest: false,
  locale: 'ja',
  timezone: 'Asia/Tokyo',
  channel: 'cli',
  externalId: 'E1',
};

function turn(text: string, extra: Partial<Turn> = {}): Turn {
  return { actor, surface: 'dm', threadKey: 't', text, ...extra };
}

function makeRouter() {
  const router = new Router(pino({ level: 'silent' }));
  registerBuiltinCommands(router);
  const scheduleCalls: string[] = [];
  router.command({
    name: 'schedule',
    summary: { ja: '予定', en: 'schedule' },
    acceptsInDm: (args) => /^(on|off|\w{3} \d{1,2}:\d{2})$/.test(args),
    handle: ({ args, locale }) => {
      scheduleCalls.push(args);
      return [{ kind: 'settings', locale, text: `schedule:${args}` }];
    },
  });
  router.command({
    name: 'secret',
    summary: { ja: '社員のみ', en: 'members only' },
    membersOnly: true,
    handle: ({ locale }) => [{ kind: 'info', locale, text: 'members' }],
  });
  const consulted: Array<{ text: string; publicOnly: boolean }> = [];
  router.setConsultation(({ args, locale, publicOnly }) => {
    consulted.push({ text: args, publicOnly });
    return [{ kind: 'answer', locale, text: `answer(${locale})` }];
  });
  return { router, scheduleCalls, consulted };
}

const texts = (replies: Reply[]) => replies.map((r) => r.text);

describe('router', () => {
  it('answers help with every registered command, in the person’s language', async () => {
    const { router } = makeRouter();
    const [help] = await router.handle(turn('help'));
    expect(help).toMatchObject({ kind: 'help', locale: 'ja', title: 'Tsumiki でできること' });
    expect(help!.text).toContain('`help`');
    expect(help!.text).toContain('`schedule`');
    const [english] = await router.handle(turn('help', { actor: { ...actor, locale: 'en' } }));
    expect(english!.title).toBe('What Tsumiki can do');
  });

  it('sends free text to the consultation, replying in the language of the message', async () => {
    const { router, consulted } = makeRouter();
    expect(texts(await router.handle(turn('How do I move into product management?')))).toEqual(['answer(en)']);
    expect(texts(await router.handle(turn('最近仕事がマンネリです')))).toEqual(['answer(ja)']);
    expect(consulted.map((c) => c.publicOnly)).toEqual([false, false]);
  });

  it('treats a command word followed by a question in a DM as a question, but runs it after /career', async () => {
    const { router, scheduleCalls, consulted } = makeRouter();
    await router.handle(turn('schedule a talk with my manager about promotion?'));
    expect(consulted).toHaveLength(1);
    expect(scheduleCalls).toEqual([]);
    await router.handle(turn('schedule fri 16:00'));
    await router.handle(turn('schedule a talk', { surface: 'command' }));
    expect(scheduleCalls).toEqual(['fri 16:00', 'a talk']);
  });

  it('shows help for an unknown /career subcommand', async () => {
    const { router, consulted } = makeRouter();
    const [reply] = await router.handle(turn('frobnicate now', { surface: 'command' }));
    expect(reply!.kind).toBe('help');
    expect(reply!.text).toContain('`frobnicate`');
    expect(consulted).toHaveLength(0);
  });

  it('answers empty, invisible-only, oversized and attachment-only messages with a reason', async () => {
    const { router, consulted } = makeRouter();
    expect((await router.handle(turn('   ')))[0]!.text).toMatch(/空/);
    expect((await router.handle(turn('\u200b\u200d\u2067')))[0]!.text).toMatch(/空/);
    expect((await router.handle(turn('', { attachments: 1 })))[0]!.text).toMatch(/ファイル/);
    expect((await router.handle(turn('あ'.repeat(40_000))))[0]!.text).toMatch(/40,000/);
    expect(consulted).toHaveLength(0);
  });

  it('refuses members-only commands to guests and personal commands in channels', async () => {
    const { router } = makeRouter();
    const guest = { ...actor, employeeId: null, isGuest: true };
    expect((await router.handle(turn('secret', { actor: guest })))[0]!.text).toMatch(/社員/);
    expect((await router.handle(turn('schedule on', { surface: 'mention' })))[0]!.text).toMatch(/チャンネル/);
    const { router: r2, consulted } = makeRouter();
    await r2.handle(turn('AWSの研修はありますか', { surface: 'mention' }));
    expect(consulted).toEqual([{ text: 'AWSの研修はありますか', publicOnly: true }]);
  });

  it('runs a command button as the typed command', async () => {
    const { router, scheduleCalls } = makeRouter();
    await router.handle(turn('', { action: { id: 'command', value: 'schedule on' } }));
    expect(scheduleCalls).toEqual(['on']);
  });

  it('turns a failing handler into a polite error with a reference, never silence', async () => {
    const { router } = makeRouter();
    router.command({ name: 'boom', summary: { ja: 'x', en: 'x' }, handle: () => Promise.reject(new Error('kaboom')) });
    const [reply] = await router.handle(turn('boom'));
    expect(reply).toMatchObject({ kind: 'error' });
    expect(reply!.text).toMatch(/参照番号: [0-9a-f]{8}/);
    expect(reply!.text).not.toContain('kaboom');
  });

  it('answers an unknown button with help instead of failing', async () => {
    const { router } = makeRouter();
    const [reply] = await router.handle(turn('', { action: { id: 'nothing.here' } }));
    expect(reply!.kind).toBe('help');
  });

  it('hands the first-contact notice to a channel that can show it before a streamed answer', async () => {
    const { router } = makeRouter();
    router.setFirstContact((_t, locale) => [{ kind: 'welcome', locale, text: 'welcome' }]);
    const shown: string[] = [];
    const replies = await router.handle(turn('How do I grow into a lead role?'), {
      onPreface: (preface) => void shown.push(...preface.map((r) => r.kind)),
    });
    expect(shown).toEqual(['welcome']);
    expect(replies.map((r) => r.kind)).toEqual(['answer']);
    // A channel whose preface fails still gets the notice, with the answer.
    const fallback = await router.handle(turn('How do I grow into a lead role?'), { onPreface: () => Promise.reject(new Error('down')) });
    expect(fallback.map((r) => r.kind)).toEqual(['welcome', 'answer']);
  });

  it('puts the first-contact notice before the first reply', async () => {
    const { router } = makeRouter();
    let seen = false;
    router.setFirstContact((_t, locale) => {
      if (seen) return [];
      seen = true;
      return [{ kind: 'welcome', locale, text: 'welcome' }];
    });
    expect((await router.handle(turn('help'))).map((r) => r.kind)).toEqual(['welcome', 'help']);
    expect((await router.handle(turn('help'))).map((r) => r.kind)).toEqual(['help']);
  });
});

describe('input cleaning and language', () => {
  it('removes zero-width and bidirectional controls', () => {
    expect(cleanInput(' a\u200bb\u202ec\u2066 ')).toBe('abc');
  });
  it('detects Japanese by script and English by words, else keeps the fallback', () => {
    expect(detectLocale('AWSの研修', 'en')).toBe('ja');
    expect(detectLocale('How do I grow?', 'ja')).toBe('en');
    expect(detectLocale('help', 'ja')).toBe('ja');
    expect(detectLocale('👍', 'en')).toBe('en');
  });
});
