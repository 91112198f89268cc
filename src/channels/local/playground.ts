/**
 * Local mode: the Microsoft 365 Agents Playground, so a person can chat with Tsumiki in a
 * browser as in Teams, with no Slack or Microsoft account. It runs as a child process that
 * stops with Tsumiki.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';

export interface PlaygroundOptions {
  /** Where the bot listens, e.g. http://127.0.0.1:3978/api/messages */
  botEndpoint: string;
  port?: number;
  logFile?: string;
  /** Time to wait for the `Listening on N` line. */
  startTimeoutMs?: number;
}

export interface RunningPlayground {
  port: number;
  url: string;
  stop(): Promise<void>;
}

export function playgroundCliPath(): string {
  return require.resolve('@microsoft/m365agentsplayground/cli.js');
}

export async function startPlayground(options: PlaygroundOptions, logger: Logger): Promise<RunningPlayground> {
  const logFile = path.resolve(options.logFile ?? path.join('var', 'playground.log'));
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const args = [
    '--require',
    path.join(__dirname, 'loopback-only.cjs'),
    playgroundCliPath(),
    '--app-endpoint',
    options.botEndpoint,
    '--channel-id',
    'msteams',
    '--port',
    String(options.port ?? 56150),
    '--dt',
  ];
  // Run cli.js with node directly: killing an npx wrapper would leave the playground running.
  const child: ChildProcess = spawn(process.execPath, args, {
    env: {
      ...process.env,
      TEAMSAPPTESTER_BROWSER: 'none',
      M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
      BOT_ENDPOINT: options.botEndpoint,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`the Agents Playground did not start within ${options.startTimeoutMs ?? 30000} ms`));
    }, options.startTimeoutMs ?? 30000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // It moves to a random port when 56150 is taken, so read the port it announces.
      const match = /Listening on (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
      if (output.length > 64_000) output = output.slice(-8_000);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => logger.debug({ source: 'playground' }, chunk.toString().slice(0, 500)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the Agents Playground exited early with code ${code}`));
    });
  });
  child.stdout?.removeAllListeners('data');
  child.stdout?.resume();
  const url = `http://127.0.0.1:${port}`;
  return {
    port,
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
