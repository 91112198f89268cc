/**
 * End to end: `tsumiki serve` with no credentials starts local mode, and a person chatting in the
 * Microsoft 365 Agents Playground is welcomed and can ask for help. Stopping Tsumiki stops the playground.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PlaygroundClient } from '../helpers/playground-client';
import { exited, startServe } from '../helpers/spawn-tsumiki';
import { tempDir } from '../helpers/test-core';

jest.setTimeout(120_000);

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('local mode through the Agents Playground', () => {
  const dir = tempDir();
  const dataDir = path.join(dir, 'data');

  beforeAll(() => {
    fs.mkdirSync(dataDir);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('welcomes a new person, answers help, and stops the playground with it', async () => {
    const { child, match, output } = await startServe(
      { NODE_ENV: 'development', PORT: '0', TSUMIKI_DB: path.join(dir, 'tsumiki.db'), TSUMIKI_DATA_DIR: dataDir, TSUMIKI_DEFAULT_LOCALE: 'en' },
      /Open (http:\/\/127\.0\.0\.1:(\d+)) to chat/,
    );
    const playgroundUrl = match[1]!;
    const playgroundPort = Number(match[2]);
    const client = await PlaygroundClient.connect(playgroundUrl);
    try {
      await client.say('help');
      const welcome = await client.waitFor((m) => /Welcome to Tsumiki/.test(m.text ?? ''));
      expect(welcome.text).toMatch(/built up, block by block, through experience/);
      expect(welcome.text).toMatch(/How your data is handled/);
      const help = await client.waitFor((m) => /What Tsumiki can do/.test(m.text ?? ''));
      expect(help.text).toContain('`help`');

      // The notice is shown once: the next help has no welcome before it.
      const before = client.messages.length;
      await client.say('help');
      await client.waitFor((m) => client.messages.indexOf(m) >= before && /What Tsumiki can do/.test(m.text ?? ''));
      expect(client.messages.slice(before).some((m) => /Welcome to Tsumiki/.test(m.text ?? ''))).toBe(false);
    } finally {
      client.close();
      child.kill('SIGTERM');
    }
    expect(await exited(child)).toBe(0);
    expect(await isListening(playgroundPort)).toBe(false);
    // Logs never carry what the person typed.
    expect(output()).not.toMatch(/"text":"help"/);
  });
});
