/** The Teams app package: manifest valid against its Teams schema, icons as Teams wants them, zip contents. */
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { buildTeamsPackage, checkIcon, loadManifest, validateManifest } from '../../scripts/package-teams';
import { tempDir } from '../helpers/test-core';

const dir = path.resolve(__dirname, '..', '..', 'appPackage');
const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));

it('is valid against the Teams schema it names (v1.19 or later)', async () => {
  expect(Number(manifest.manifestVersion.split('.')[1])).toBeGreaterThanOrEqual(19);
  expect(validateManifest(manifest)).toEqual([]);
  expect(validateManifest({ ...manifest, bots: [{ ...manifest.bots[0], botId: 'x' }] }).join('\n')).toMatch(/botId/);
});

it('offers the chat commands in the command menu of the 1:1 chat', () => {
  const personal = manifest.bots[0].commandLists.find((l: any) => l.scopes.includes('personal'));
  const titles = personal.commands.map((c: any) => c.title);
  // Teams allows 12 entries per list: `ask` is left out because any plain message is a question.
  expect(titles).toEqual(['help', 'trainings', 'postings', 'reflect', 'schedule', 'pause', 'resume', 'share', '1on1', 'journal', 'export', 'forget']);
  expect(manifest.bots[0].scopes).toEqual(expect.arrayContaining(['personal', 'team', 'groupChat']));
  expect(manifest.bots[0].supportsFiles).toBe(true); // the export's file consent flow
});

it('has a 192×192 colour icon and a 32×32 white-on-transparent outline icon', () => {
  const color = PNG.sync.read(fs.readFileSync(path.join(dir, 'color.png')));
  const outline = PNG.sync.read(fs.readFileSync(path.join(dir, 'outline.png')));
  expect([color.width, color.height]).toEqual([192, 192]);
  expect([outline.width, outline.height]).toEqual([32, 32]);
  expect(checkIcon(path.join(dir, 'color.png'), 'color')).toEqual([]);
  expect(checkIcon(path.join(dir, 'outline.png'), 'outline')).toEqual([]);
  expect(checkIcon(path.join(dir, 'color.png'), 'outline')).toEqual(expect.arrayContaining([expect.stringMatching(/32×32/)]));
});

it('zips manifest and icons at the root, with the bot id from MicrosoftAppId', async () => {
  const out = path.join(tempDir('tsumiki-pkg-'), 'app.zip');
  const appId = '11111111-2222-3333-4444-555555555555';
  await buildTeamsPackage({ dir, outFile: out, appId });
  const zip = await JSZip.loadAsync(fs.readFileSync(out));
  expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
  const packed = JSON.parse(await zip.file('manifest.json')!.async('string'));
  expect(packed.bots[0].botId).toBe(appId);
  expect(await zip.file('color.png')!.async('nodebuffer')).toEqual(fs.readFileSync(path.join(dir, 'color.png')));
});

it('refuses an app id that is not a GUID, and an invalid manifest, saying why', async () => {
  await expect(loadManifest({ dir, appId: 'my-bot' })).rejects.toThrow(/GUID/);
  const broken = tempDir('tsumiki-pkg-');
  for (const f of ['color.png', 'outline.png']) fs.copyFileSync(path.join(dir, f), path.join(broken, f));
  fs.writeFileSync(path.join(broken, 'manifest.json'), JSON.stringify({ ...manifest, accentColor: 'teal', name: { short: '' } }));
  await expect(buildTeamsPackage({ dir: broken, outFile: path.join(broken, 'x.zip') })).rejects.toThrow(/not valid[\s\S]*accentColor/);
  expect(fs.existsSync(path.join(broken, 'x.zip'))).toBe(false);
});
