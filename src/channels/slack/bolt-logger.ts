/**
 * Bolt and the Web API client log through pino like the rest of Tsumiki. Their messages are
 * strings about transport (never message text at info and above), so they pass as they are.
 */
// From the Web API package (Bolt re-exports the same): the broadcast sender logs without loading Bolt.
import { LogLevel, type Logger as SlackLogger } from '@slack/web-api';
import type { Logger } from 'pino';

const ORDER: LogLevel[] = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];

/** A @slack/logger Logger that writes to `logger`; debug is dropped unless pino's level is debug or lower. */
export function boltLogger(logger: Logger): SlackLogger {
  let level: LogLevel = logger.isLevelEnabled('debug') ? LogLevel.DEBUG : LogLevel.INFO;
  let name = 'slack';
  const enabled = (l: LogLevel) => ORDER.indexOf(l) >= ORDER.indexOf(level);
  const text = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg: unknown[]) => {
      if (enabled(LogLevel.DEBUG)) logger.debug({ component: name }, text(msg));
    },
    info: (...msg: unknown[]) => {
      if (enabled(LogLevel.INFO)) logger.info({ component: name }, text(msg));
    },
    warn: (...msg: unknown[]) => {
      if (enabled(LogLevel.WARN)) logger.warn({ component: name }, text(msg));
    },
    error: (...msg: unknown[]) => {
      if (enabled(LogLevel.ERROR)) logger.error({ component: name }, text(msg));
    },
    setLevel: (l: LogLevel) => {
      // Bolt sets INFO on its own loggers; never go below what pino is configured for.
      level = logger.isLevelEnabled('debug') ? l : ORDER.indexOf(l) < 1 ? LogLevel.INFO : l;
    },
    getLevel: () => level,
    setName: (n: string) => {
      name = n;
    },
  };
}
