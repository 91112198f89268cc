/** `tsumiki serve`: what `npm start` runs. Stops everything cleanly on SIGINT/SIGTERM. */
import { startTsumiki } from '../../app';
import type { CliCommand } from '../cli-command';

export const serveCommand: CliCommand = {
  name: 'serve',
  usage: 'tsumiki serve [--db FILE] [--data DIR]',
  summary: 'runs the bot (channels by the credentials present; local mode without any)',
  options: { data: { type: 'string' } },
  positionals: [0, 0],
  async run(ctx) {
    const config = ctx.config();
    const logger = ctx.logger();
    // A rejected promise nobody awaited is a bug, but not one worth dropping every conversation for:
    // log it (without message text) and keep serving. An uncaught exception leaves state unknown:
    // log it and exit non-zero so a supervisor restarts a clean process.
    process.on('unhandledRejection', (reason) => {
      logger.error({ err: reason instanceof Error ? { message: reason.message, stack: reason.stack } : String(reason) }, 'unhandled rejection');
    });
    process.on('uncaughtException', (error) => {
      logger.fatal({ err: { message: error.message, stack: error.stack } }, 'uncaught exception; exiting');
      process.exit(1);
    });
    const running = await startTsumiki(config, logger);
    if (running.playground) {
      ctx.io.stderr.write(`\nTsumiki is running in local mode. Open ${running.playground.url} to chat with it.\n\n`);
    }
    await new Promise<void>((resolve) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'shutting down');
        const force = setTimeout(() => {
          logger.error('shutdown took longer than 10 s; exiting');
          process.exit(1);
        }, 10_000);
        force.unref();
        running.stop().finally(() => resolve());
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
    return 0;
  },
};
