import type { Reply } from '../../src/core/types';
import { makeTestCore, type TestCore } from '../helpers/test-core';

describe('changing the reflection day, time and zone from the settings card', () => {
  let core: TestCore;
  beforeAll(() => {
    core = makeTestCore({ TSUMIKI_DEFAULT_LOCALE: 'en' }, { clock: () => new Date('2026-11-23T09:00:00Z') });
    core.importOrg('E1,Eli Member,eli@example.com,,,,Asia/Tokyo,en');
  });
  afterAll(() => core.close());

  const click = (id: string, inputs?: Record<string, string>) =>
    core.router.handle({ actor: core.actor('E1'), surface: 'dm', threadKey: 't', action: { id, inputs } });
  const settings = async (): Promise<Reply> => (await core.ask('E1', 'schedule')).find((r) => r.kind === 'settings')!;

  it('offers a form with the current slot and zone, and saves what is submitted', async () => {
    const card = await settings();
    expect(card.actions?.map((a) => a.id)).toContain('reflect.slot-form');
    const [form] = await click('reflect.slot-form');
    expect(form!.inputs).toEqual([
      expect.objectContaining({ id: 'slot', initial: 'fri 16:00' }),
      expect.objectContaining({ id: 'zone', initial: 'Asia/Tokyo' }),
    ]);
    expect(form!.actions).toEqual([expect.objectContaining({ id: 'reflect.slot-save', style: 'primary' })]);

    const saved = await click('reflect.slot-save', { slot: 'tue 09:30', zone: 'Europe/London' });
    expect(saved.map((r) => r.text).join('\n')).toMatch(/Europe\/London/);
    expect((await settings()).text).toMatch(/Tuesday at 09:30/);
    expect((await settings()).text).toMatch(/Europe\/London/);
  });

  it('answers a bad day, time or zone with the same guidance as the typed command', async () => {
    const replies = await click('reflect.slot-save', { slot: 'someday 25:99', zone: 'Mars/Olympus' });
    const text = replies.map((r) => r.text).join('\n');
    expect(text).toMatch(/schedule fri 16:00/);
    expect(text).toMatch(/Asia\/Tokyo|IANA|time zone/i);
    expect((await settings()).text).toMatch(/Tuesday at 09:30/);
  });
});
