/**
 * `tsumiki <command>`. Machine-readable output (--json, export) is the only thing on stdout;
 * logs and messages go to stderr. Exit codes: 0 ok, 1 failure, 2 usage error.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { ConfigError, loadConfig, readDotEnv, type Config } from '../config/config';
import { createLogger } from '../observability/logger';
import { StorageError } from '../storage/database';
import { UsageError, type CliCommand, type CliContext, type CliIO } from './cli-command';
import { askCommand } from './commands/ask';
import { exportCommand } from './commands/export';
import { forgetCommand } from './commands/forget';
import { importOrgCommand } from './commands/import-org';
import { inviteCommand } from './commands/invite';
import { ingestCommand } from './commands/ingest';
import { searchCommand } from './commands/search';
import { serveCommand } from './commands/serve';
import { tickCommand } from './commands/tick';

/** Every subcommand, in the order `tsumiki --help` lists them. */
export const commands: CliCommand[] = [serveCommand, importOrgCommand, askCommand, exportCommand, forgetCommand, ingestCommand, searchCommand, inviteCommand, tickCommand];

const GLOBAL_OPTIONS = {
  db: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: tsumiki <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --db FILE (default: $TSUMIKI_DB or var/tsumiki.db).',
    'tsumiki <command> --help shows the options of one command.',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? io.stdout : io.stderr).write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`tsumiki: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...(command.options ?? {}) }, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr.write(`tsumiki ${command.name}: ${(error as Error).message}\nUsage: ${command.usage}\n`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout.write(`Usage: ${command.usage}\n\n${command.summary}\n`);
    return 0;
  }
  const [min, max] = command.positionals ?? [0, Infinity];
  if (parsed.positionals.length < min || parsed.positionals.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    io.stderr.write(`tsumiki ${command.name}: expected ${expected} argument(s), got ${parsed.positionals.length}\nUsage: ${command.usage}\n`);
    return 2;
  }
  let config: Config | undefined;
  let logger: Logger | undefined;
  const ctx: CliContext = {
    values: parsed.values as CliContext['values'],
    positionals: parsed.positionals,
    io,
    config: () => {
      if (!config) {
        const env: NodeJS.ProcessEnv = { ...readDotEnv(), ...process.env };
        if (typeof parsed.values.db === 'string') env.TSUMIKI_DB = parsed.values.db;
        if (typeof parsed.values.data === 'string') env.TSUMIKI_DATA_DIR = parsed.values.data;
        if (command.name !== 'serve' && !env.LOG_LEVEL) env.LOG_LEVEL = 'warn';
        config = loadConfig(env);
      }
      return config;
    },
    logger: () => {
      logger ??= createLogger(ctx.config().logLevel);
      return logger;
    },
  };
  try {
    return await command.run(ctx);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`tsumiki ${command.name}: ${error.message}\nUsage: ${command.usage}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.stderr.write(`tsumiki: ${error.message}\n`);
      return 1;
    }
    if (error instanceof StorageError) {
      io.stderr.write(`tsumiki: ${error.message}\n`);
      return 1;
    }
    io.stderr.write(`tsumiki ${command.name}: ${(error as Error).message ?? String(error)}\n`);
    return 1;
  }
}

/** Resolves a path given on the command line against the working directory. */
export function resolvePath(file: string): string {
  return path.resolve(process.cwd(), file);
}
