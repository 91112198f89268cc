/**
 * `npm run package:teams`: validates appPackage/manifest.json against its own Teams schema
 * (the copy bundled with @microsoft/app-manifest, so no network), checks the two icons, and zips
 * manifest + icons into appPackage/build/tsumiki-teams.zip for upload in Teams ("Upload a custom
 * app") or the Developer Portal. With `MicrosoftAppId` set, the bot id in the package is that id.
 *
 * `npm run package:teams -- --icons` redraws the icons (stacked blocks, 積み木) first.
 */
import fs from 'node:fs';
import path from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';
import { PNG } from 'pngjs';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PackageOptions {
  dir?: string;
  outFile?: string;
  /** The Azure Bot's app id to put in `bots[0].botId`. */
  appId?: string;
}

/**
 * Validates a manifest against the Teams schema its `$schema` names, read from the schemas
 * bundled with @microsoft/app-manifest (the same files and Ajv settings its validator uses;
 * its own entry point pulls in ES modules that Jest cannot load).
 */
export function validateManifest(manifest: Record<string, unknown>): string[] {
  const url = typeof manifest.$schema === 'string' ? manifest.$schema : '';
  const version = /\/teams\/(v[\w.]+)\/MicrosoftTeams\.schema\.json$/.exec(url)?.[1];
  if (!version) return [`$schema must name a Teams manifest schema, e.g. https://developer.microsoft.com/en-us/json-schemas/teams/v1.24/MicrosoftTeams.schema.json`];
  const root = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const file = path.join(root, 'build', 'json-schemas', 'teams', version, 'MicrosoftTeams.schema.json');
  if (!fs.existsSync(file)) return [`Teams manifest schema ${version} is not known to @microsoft/app-manifest`];
  const schema = JSON.parse(fs.readFileSync(file, 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b')) as object;
  const ajv = new AjvDraft04({ allErrors: true, strictTypes: false });
  addFormats(ajv, ['uri', 'email', 'regex']);
  const validate = ajv.compile(schema);
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${e.params ? JSON.stringify(e.params) : ''}`.trim());
}

/** Problems with an icon (size, transparency, colour), empty when it is fine. */
export function checkIcon(file: string, kind: 'color' | 'outline'): string[] {
  if (!fs.existsSync(file)) return [`${path.basename(file)} is missing`];
  const png = PNG.sync.read(fs.readFileSync(file));
  const size = kind === 'color' ? 192 : 32;
  const problems: string[] = [];
  if (png.width !== size || png.height !== size) problems.push(`${path.basename(file)} must be ${size}×${size}, is ${png.width}×${png.height}`);
  if (kind === 'outline') {
    let transparent = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b, a] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!, png.data[i + 3]!];
      if (a === 0) transparent++;
      else if (r !== 255 || g !== 255 || b !== 255) {
        problems.push('outline.png must be white on a transparent background');
        break;
      }
    }
    if (transparent === 0) problems.push('outline.png has no transparent pixels');
  }
  return problems;
}

/** Reads, adapts and validates the manifest; throws with every problem listed. */
export async function loadManifest(options: PackageOptions = {}): Promise<Record<string, unknown>> {
  const dir = options.dir ?? path.resolve(__dirname, '..', 'appPackage');
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown> & { bots?: Array<{ botId: string }> };
  if (options.appId) {
    if (!GUID.test(options.appId)) throw new Error('MicrosoftAppId must be the Azure Bot app id, a GUID such as 00000000-0000-0000-0000-000000000000');
    for (const bot of manifest.bots ?? []) bot.botId = options.appId;
  }
  const problems = [
    ...validateManifest(manifest),
    ...checkIcon(path.join(dir, 'color.png'), 'color'),
    ...checkIcon(path.join(dir, 'outline.png'), 'outline'),
  ];
  if (problems.length > 0) throw new Error(`The Teams app package is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return manifest;
}

/** Builds the zip; returns its path. */
export async function buildTeamsPackage(options: PackageOptions = {}): Promise<string> {
  const dir = options.dir ?? path.resolve(__dirname, '..', 'appPackage');
  const outFile = options.outFile ?? path.join(dir, 'build', 'tsumiki-teams.zip');
  const manifest = await loadManifest({ ...options, dir });
  const zip = new JSZip();
  // Teams wants the three files at the root of the archive.
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  zip.file('color.png', fs.readFileSync(path.join(dir, 'color.png')));
  zip.file('outline.png', fs.readFileSync(path.join(dir, 'outline.png')));
  const data = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, data);
  return outFile;
}

/** Draws the icons: three stacked blocks, full colour on teal (192 px) and white outline on transparent (32 px). */
export function drawIcons(dir: string): void {
  const blocks = (size: number) => {
    const u = size / 32; // design grid: 32 units
    return [
      { x: 6, y: 20, w: 20, h: 7 },
      { x: 9, y: 12.5, w: 14, h: 7 },
      { x: 12, y: 5, w: 8, h: 7 },
    ].map((b) => ({ x0: Math.round(b.x * u), y0: Math.round(b.y * u), x1: Math.round((b.x + b.w) * u), y1: Math.round((b.y + b.h) * u) }));
  };
  const paint = (size: number, pixel: (x: number, y: number, block: number) => [number, number, number, number]) => {
    const png = new PNG({ width: size, height: size });
    const rects = blocks(size);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const block = rects.findIndex((r) => x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1);
        const [r, g, b, a] = pixel(x, y, block);
        const i = (y * size + x) * 4;
        png.data[i] = r;
        png.data[i + 1] = g;
        png.data[i + 2] = b;
        png.data[i + 3] = a;
      }
    }
    return PNG.sync.write(png);
  };
  const colours: Array<[number, number, number, number]> = [
    [244, 162, 97, 255],
    [233, 196, 106, 255],
    [255, 255, 255, 255],
  ];
  fs.writeFileSync(path.join(dir, 'color.png'), paint(192, (_x, _y, block) => (block >= 0 ? colours[block]! : [46, 125, 107, 255])));
  fs.writeFileSync(path.join(dir, 'outline.png'), paint(32, (_x, _y, block) => (block >= 0 ? [255, 255, 255, 255] : [0, 0, 0, 0])));
}

async function main(): Promise<void> {
  const dir = path.resolve(__dirname, '..', 'appPackage');
  if (process.argv.includes('--icons')) drawIcons(dir);
  const appId = process.env.MicrosoftAppId?.trim() || undefined;
  const out = await buildTeamsPackage({ dir, appId });
  process.stderr.write(`Teams app package written to ${path.relative(process.cwd(), out)}${appId ? '' : ' (bot id is a placeholder: set MicrosoftAppId)'}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
