import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/spawn-tsumiki';
import { tempDir } from '../helpers/test-core';

describe('tsumiki CLI', () => {
  const dir = tempDir();
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints usage and exits 2 for an unknown command or flag', async () => {
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    expect(unknown.stderr).toContain('Usage: tsumiki <command>');
    const flag = await runCli(['ask', 'hi', '--user', 'E1', '--bogus']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/Unknown option '--bogus'/);
    expect(flag.stderr).toContain('Usage: tsumiki ask');
    const missing = await runCli(['ask', 'hi']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--user EMPLOYEE_ID is required');
  });

  it('exits 1 listing every problem of an invalid environment', async () => {
    const result = await runCli(['ask', 'help', '--user', 'E1'], {
      PORT: 'x',
      TSUMIKI_DEFAULT_LOCALE: 'de',
      TSUMIKI_DB: path.join(dir, 'env.db'),
      SLACK_BOT_TOKEN: 'xoxb-secret-value',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Invalid configuration');
    expect(result.stderr).toMatch(/PORT /);
    expect(result.stderr).toMatch(/TSUMIKI_DEFAULT_LOCALE /);
    expect(result.stderr).toMatch(/SLACK_SIGNING_SECRET /);
    expect(result.stderr).not.toContain('xoxb-secret-value');
  });

  it('names an unwritable database path in one clear line', async () => {
    const blocker = path.join(dir, 'file');
    fs.writeFileSync(blocker, 'x');
    const target = path.join(blocker, 'sub', 'tsumiki.db');
    const result = await runCli(['ask', 'help', '--user', 'E1', '--db', target]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(target);
  });

  it('exits non-zero with a clear message in production without a channel', async () => {
    const result = await runCli(['serve'], { NODE_ENV: 'production', PORT: '0', TSUMIKI_DB: path.join(dir, 'prod.db') });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no channel is configured/);
  });

  it('answers one turn as an employee through the same core as the bots', async () => {
    const result = await runCli(['ask', 'help', '--user', 'E404', '--db', path.join(dir, 'ask.db')], { TSUMIKI_DEFAULT_LOCALE: 'en' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('What Tsumiki can do');
  });
});
