/** The router's conversation hook: claims private free text only, after commands, before the consultation. */
import pino from 'pino';
import { Router } from '../../src/core/router';
import type { Actor, Turn } from '../../src/core/types';

const actor: Actor = { personId: 1, employeeId: 'E1', name: 'A', isGuest: false, locale: 'en', timezone: 'Asia/Tokyo', channel: 'slack', externalId: 'U1' };
const turn = (text: string, surface: Turn['surface'] = 'dm'): Turn => ({ actor, surface, threadKey: 't', text });

function router(claim: boolean) {
  const r = new Router(pino({ level: 'silent' }));
  const seen: string[] = [];
  r.command({ name: 'journal', summary: { ja: 'j', en: 'j' }, acceptsInDm: () => false, handle: () => [{ kind: 'journal', locale: 'en', text: 'journal' }] });
  r.command({ name: 'ask', summary: { ja: 'a', en: 'a' }, handle: ({ args }) => [{ kind: 'answer', locale: 'en', text: `asked: ${args}` }] });
  r.setConsultation(({ args }) => [{ kind: 'answer', locale: 'en', text: `consulted: ${args}` }]);
  r.addConversationHook(({ args, command }) => {
    if (command?.strict) return undefined;
    seen.push(args);
    return claim ? [{ kind: 'reflection', locale: 'en', text: `claimed: ${args}` }] : undefined;
  });
  return { r, seen };
}

test('a claiming hook answers free text in a DM instead of the consultation', async () => {
  const { r } = router(true);
  expect((await r.handle(turn('I led a review this week')))[0]!.text).toBe('claimed: I led a review this week');
});

test('unmistakable commands still run while a hook would claim', async () => {
  const { r, seen } = router(true);
  expect((await r.handle(turn('journal')))[0]!.text).toBe('journal');
  expect((await r.handle(turn('ask')))[0]!.text).toBe('asked: ');
  expect(seen).toEqual([]);
});

test('text that merely starts with a loose command word can be claimed ("Ask my lead…")', async () => {
  const { r } = router(true);
  expect((await r.handle(turn('Ask my lead to co-host the review')))[0]!.text).toBe('claimed: Ask my lead to co-host the review');
  expect((await r.handle(turn('ask my lead', 'command')))[0]!.text).toBe('asked: my lead');
});

test('a hook that passes leaves the turn to the consultation', async () => {
  const { r, seen } = router(false);
  expect((await r.handle(turn('how do I grow?')))[0]!.text).toBe('consulted: how do I grow?');
  expect(seen).toEqual(['how do I grow?']);
});

test('mentions in shared channels are never claimed', async () => {
  const { r, seen } = router(true);
  expect((await r.handle(turn('what trainings are there?', 'mention')))[0]!.text).toBe('consulted: what trainings are there?');
  expect(seen).toEqual([]);
});
