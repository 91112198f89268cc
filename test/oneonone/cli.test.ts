/** `tsumiki ask "1on1 …" --user MANAGER` as an operator runs it: a child process, a real database file. */
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/spawn-tsumiki';
import { ORG_HEADER, tempDir } from '../helpers/test-core';
import { ORG } from './fixtures';

test('a manager prepares a 1on1 through the CLI; the member then sees it with `share`', async () => {
  const dir = tempDir('tsumiki-1on1-cli-');
  try {
    const db = path.join(dir, 'cli.db');
    const data = path.join(dir, 'data');
    fs.mkdirSync(data);
    const orgFile = path.join(dir, 'org.csv');
    fs.writeFileSync(orgFile, `${ORG_HEADER}\n${ORG.trim()}\n`);
    const env = { TSUMIKI_DB: db, TSUMIKI_DATA_DIR: data, TSUMIKI_HR_EMPLOYEE_IDS: 'HR1' };
    expect((await runCli(['import-org', orgFile], env)).code).toBe(0);

    const prepared = await runCli(['ask', '1on1 hanako.sato@example.com', '--user', 'M1'], env);
    expect(prepared.code).toBe(0);
    expect(prepared.stdout).toContain('# Preparing your 1on1 with Hanako Sato');
    expect(prepared.stdout).toContain('**Where they came from**');
    expect(prepared.stdout).toContain('Offline mode');

    const refused = await runCli(['ask', '1on1 hanako.sato@example.com', '--user', 'M2'], env);
    expect(refused.code).toBe(0);
    expect(refused.stdout).toContain('直属のメンバーではない');

    const seen = await runCli(['ask', 'share', '--user', 'A'], env);
    expect(seen.stdout).toContain('Kenji Tanakaさんが Tsumiki で1on1を準備しました');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
