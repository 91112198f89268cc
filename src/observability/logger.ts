/**
 * Structured logs on stderr (stdout is reserved for machine-readable CLI output).
 * Redaction is a second line of defence: code never passes tokens or message text to the logger.
 */
import pino, { type Logger } from 'pino';

export const REDACTED_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'appToken',
  'signingSecret',
  '*.signingSecret',
  'apiKey',
  '*.apiKey',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'text',
  '*.text',
  'content',
  '*.content',
];

export function createLogger(level = 'info', destination: pino.DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      level,
      base: { app: 'tsumiki' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

export type { Logger };
