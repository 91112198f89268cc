/**
 * Slack over Socket Mode (SLACK_APP_TOKEN): Bolt's SocketModeReceiver, wired so that
 * - `apps.connections.open` goes to SLACK_API_URL like every other Web API call (the receiver
 *   only hands its SocketModeClient the WebClient options given as `installerOptions.clientOptions`;
 *   without them the client calls https://slack.com/api/ whatever SLACK_API_URL says);
 * - an envelope the client library cannot read (an `events_api` envelope without `payload.event`
 *   makes it throw inside an async listener: an unhandled rejection, which ends the process) is
 *   logged and acknowledged instead, since a retry of the same envelope cannot succeed;
 * - start and stop are bounded in time, and stop waits for the WebSocket to close.
 */
import { SocketModeReceiver, type Logger as SlackLogger, type webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import { z } from 'zod';
import { socketProcessEventErrorHandler } from './guarded-app';

/** The SocketModeClient inside Bolt's receiver, as far as this module uses it. */
type SocketModeClient = SocketModeReceiver['client'];

export interface SocketModeOptions {
  /** How long the first connection may take (apps.connections.open, WebSocket, `hello`); ms. */
  startTimeoutMs?: number;
  /** How long `stop` waits for the WebSocket close handshake; ms. */
  stopTimeoutMs?: number;
}

/**
 * Retries of `apps.connections.open`. The client also calls it on every reconnect (Slack
 * refreshes connections every few hours and on `disconnect` messages), where a failure that
 * outlasts the retries is thrown where nobody can catch it; so retry for a long but bounded time
 * (about 50 minutes at 30 s apart) rather than the two quick retries of interactive calls.
 */
const CONNECTION_RETRY = { retries: 100, factor: 1.3, minTimeout: 1000, maxTimeout: 30_000, randomize: true };

/**
 * The envelope fields @slack/socket-mode reads before anything of Tsumiki's runs, by type. Types
 * not listed pass through to the library unchanged (it hands them to Bolt, which acknowledges
 * what it cannot route), so a new kind of envelope from Slack is not dropped here.
 */
const envelopeShapes: Record<string, z.ZodType> = {
  events_api: z.looseObject({
    envelope_id: z.string().min(1),
    payload: z.looseObject({ event: z.looseObject({ type: z.string().min(1) }) }),
  }),
  slash_commands: z.looseObject({ envelope_id: z.string().min(1), payload: z.looseObject({}) }),
  interactive: z.looseObject({ envelope_id: z.string().min(1), payload: z.looseObject({}) }),
};

/** Problems of a Socket Mode message (field paths and expectations, never values), or undefined. */
export function socketEnvelopeProblems(message: unknown): string[] | undefined {
  if (!message || typeof message !== 'object' || Array.isArray(message)) return ['envelope: must be a JSON object'];
  const type = (message as { type?: unknown }).type;
  if (typeof type !== 'string') return ['type: must be a string'];
  const shape = envelopeShapes[type];
  if (!shape) return undefined;
  const result = shape.safeParse(message);
  if (result.success) return undefined;
  return result.error.issues.slice(0, 10).map((issue) => `${issue.path.length ? issue.path.join('.') : 'envelope'}: ${issue.message}`);
}

export function createSocketModeReceiver(
  appToken: string,
  clientOptions: webApi.WebClientOptions,
  logger: Logger,
  slackLogger: SlackLogger,
): SocketModeReceiver {
  const receiver = new SocketModeReceiver({
    appToken,
    logger: slackLogger,
    processEventErrorHandler: socketProcessEventErrorHandler(logger),
    // Only `clientOptions` is read here: no clientId/clientSecret, so no OAuth installer is built.
    // A copy, because the client writes defaults into the object it is given.
    installerOptions: { clientOptions: { ...clientOptions, retryConfig: CONNECTION_RETRY } },
  });
  guardEnvelopes(receiver.client, logger);
  return receiver;
}

/**
 * Puts a shape check in front of the client's own message handler (`ws_message` is the event its
 * WebSocket wrapper emits for every text frame) and catches what that async handler rejects with.
 */
function guardEnvelopes(client: SocketModeClient, logger: Logger): void {
  const handlers = client.listeners('ws_message') as Array<(data: unknown, isBinary: boolean) => unknown>;
  if (handlers.length === 0) {
    // The library changed how frames reach the client: keep its behaviour, but say so.
    logger.warn('socket mode: no ws_message handler found; envelopes are not shape-checked');
    return;
  }
  client.removeAllListeners('ws_message');
  client.on('ws_message', (data: unknown, isBinary: boolean) => {
    if (!isBinary) {
      const text = typeof data === 'string' ? data : new TextDecoder().decode(data as ArrayBuffer);
      let message: unknown;
      try {
        message = JSON.parse(text);
      } catch {
        logger.warn('socket mode: a message that is not JSON was ignored');
        return;
      }
      const problems = socketEnvelopeProblems(message);
      if (problems) {
        const envelopeId = (message as { envelope_id?: unknown })?.envelope_id;
        const type = (message as { type?: unknown })?.type;
        logger.warn({ problems, type: typeof type === 'string' ? type.slice(0, 40) : undefined }, 'socket mode: malformed envelope acknowledged and dropped');
        if (typeof envelopeId === 'string' && envelopeId) {
          // `send` is how the client itself acknowledges (typed private, public at run time).
          (client as unknown as { send(id: string): Promise<void> }).send(envelopeId).catch((error: Error) => logger.warn({ err: { message: error.message } }, 'socket mode: acknowledging a malformed envelope failed'));
        }
        return;
      }
    }
    for (const handler of handlers) {
      Promise.resolve()
        .then(() => handler.call(client, data, isBinary))
        .catch((error: Error) => logger.error({ err: { message: error.message } }, 'socket mode: processing a message failed'));
    }
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Opens the connection; fails with a clear message when Slack rejects the app token or is unreachable. */
export async function startSocketMode(receiver: SocketModeReceiver, start: () => Promise<unknown>, options: SocketModeOptions = {}): Promise<void> {
  try {
    await withTimeout(start(), options.startTimeoutMs ?? 30_000, 'connecting to Slack over Socket Mode');
  } catch (error) {
    void receiver.client.disconnect().catch(() => undefined);
    throw new Error(`Slack Socket Mode could not connect (SLACK_APP_TOKEN, apps.connections.open): ${(error as Error).message}`);
  }
}

/** Closes the WebSocket (normal closure) and waits for it, up to `stopTimeoutMs`. */
export async function stopSocketMode(receiver: SocketModeReceiver, logger: Logger, options: SocketModeOptions = {}): Promise<void> {
  try {
    await withTimeout(receiver.client.disconnect(), options.stopTimeoutMs ?? 5000, 'closing the Socket Mode connection');
  } catch (error) {
    logger.warn({ err: { message: (error as Error).message } }, 'socket mode: the connection did not close cleanly');
  }
}
