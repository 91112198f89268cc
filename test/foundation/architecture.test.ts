/**
 * The core stays channel-agnostic: only the channel adapters import Slack or Bot Framework
 * packages; even the composition root reaches them through the adapters' own functions.
 */
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(__dirname, '..', '..', 'src');
const CHANNEL_PACKAGES = /from ['"](@slack\/[^'"]+|botbuilder[^'"]*|botframework-[^'"]+)['"]|require\(['"](@slack\/|botbuilder|botframework-)/;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|cjs|js)$/.test(entry.name) ? [full] : [];
  });
}

describe('architecture', () => {
  it('keeps @slack/* and botbuilder out of everything but the channel adapters', () => {
    const offenders = sourceFiles(SRC)
      .filter((file) => !file.startsWith(path.join(SRC, 'channels') + path.sep))
      .filter((file) => CHANNEL_PACKAGES.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(SRC, file));
    expect(offenders).toEqual([]);
  });

  it('keeps botbuilder inside the Teams folder and Bolt inside the Slack folder', () => {
    const misplaced = sourceFiles(path.join(SRC, 'channels')).filter((file) => {
      const text = fs.readFileSync(file, 'utf8');
      const inTeams = file.includes(`${path.sep}teams${path.sep}`);
      const inSlack = file.includes(`${path.sep}slack${path.sep}`);
      return (/from ['"]botbuilder/.test(text) && !inTeams) || (/from ['"]@slack\//.test(text) && !inSlack);
    });
    expect(misplaced.map((f) => path.relative(SRC, f))).toEqual([]);
  });
});
