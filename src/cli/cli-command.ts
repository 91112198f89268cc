/** The shape of a `tsumiki` subcommand, and the context each one gets. */
import type { ParseArgsConfig } from 'node:util';
import type { Logger } from 'pino';
import type { Config } from '../config/config';

export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

export interface CliContext {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
  io: CliIO;
  /** Configuration with --db / --data applied; loaded on first use so `--help` needs none. */
  config(): Config;
  logger(): Logger;
}

export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  options?: NonNullable<ParseArgsConfig['options']>;
  /** How many positionals: [min, max]. */
  positionals?: [number, number];
  run(ctx: CliContext): Promise<number>;
}

/** Bad input from the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}
