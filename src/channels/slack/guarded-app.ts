/**
 * Bolt's App with a guard in front and a promise behind:
 * - before Bolt reads a signed request, its shape is checked (request-guard.ts); a malformed one
 *   is rejected with MalformedSlackRequest, which the receiver answers with 400;
 * - after Bolt has run the listeners, a request none of them acknowledged (an action id, shortcut
 *   or modal Tsumiki does not handle, or a listener that failed before `ack()`) is acknowledged
 *   at once, instead of holding Slack's request until Bolt's 3-second timeout.
 * The receivers' error handlers below turn errors into statuses: 401 for authorization, 400 for
 * a malformed request, 500 only for a real fault of ours; logs carry no message text.
 */
import { App, ErrorCode, type AckFn, type AppOptions, type ReceiverEvent, type ReceiverProcessEventErrorHandlerArgs, type ReceiverUnhandledRequestHandlerArgs, type SocketModeReceiverProcessEventErrorHandlerArgs } from '@slack/bolt';
import type { Logger } from 'pino';
import { MalformedSlackRequest, slackRequestKind, slackRequestProblems } from './request-guard';

export class GuardedApp extends App {
  constructor(
    options: AppOptions,
    private readonly log: Logger,
  ) {
    super(options);
  }

  override async processEvent(event: ReceiverEvent): Promise<void> {
    const problems = slackRequestProblems(event.body);
    if (problems) throw new MalformedSlackRequest(problems);
    let acknowledged = false;
    const ack: AckFn<unknown> = async (response) => {
      acknowledged = true;
      await event.ack(response);
    };
    await super.processEvent({ ...event, ack });
    if (!acknowledged) {
      this.log.debug({ kind: slackRequestKind(event.body), type: typeOf(event.body) }, 'no listener acknowledged a slack request; acknowledged it empty');
      await ack();
    }
  }
}

/** The payload's `type` (or the event's), for logs: a Slack word, never user text. */
function typeOf(body: unknown): string | undefined {
  const b = body as { type?: unknown; event?: { type?: unknown } } | undefined;
  const type = b?.event?.type ?? b?.type;
  return typeof type === 'string' ? type.slice(0, 40) : undefined;
}

/** The HTTP status for an error that escaped Bolt's processing before the request was answered. */
export function statusForError(error: unknown): 400 | 401 | 500 {
  if (error instanceof MalformedSlackRequest) return 400;
  if ((error as { code?: unknown })?.code === ErrorCode.AuthorizationError) return 401;
  // Errors thrown while Bolt itself introspects the body (before any listener runs: listener
  // errors go to app.error) are TypeErrors on a shape it did not expect.
  if (error instanceof TypeError) return 400;
  return 500;
}

/** ExpressReceiver `processEventErrorHandler`: answers with the right status and a JSON reason. */
export function httpProcessEventErrorHandler(logger: Logger) {
  return async ({ error, request, response }: ReceiverProcessEventErrorHandlerArgs): Promise<boolean> => {
    const body = (request as { body?: unknown }).body;
    if (response.headersSent) {
      logger.error({ err: { message: error.message, code: (error as { code?: string }).code }, type: typeOf(body) }, 'slack request failed after it was acknowledged');
      return false;
    }
    const status = statusForError(error);
    if (status === 400) {
      const problems = error instanceof MalformedSlackRequest ? error.problems : ['the request has a shape Slack apps cannot process'];
      logger.warn({ problems, type: typeOf(body) }, 'slack request rejected: malformed');
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'malformed request', problems }));
    } else if (status === 401) {
      logger.warn({ type: typeOf(body) }, 'slack request rejected: not authorized');
      response.writeHead(401);
      response.end();
    } else {
      logger.error({ err: { message: error.message, code: (error as { code?: string }).code, stack: error.stack }, type: typeOf(body) }, 'slack request failed');
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'internal error' }));
    }
    return true;
  };
}

/**
 * ExpressReceiver `unhandledRequestHandler`: runs only when a listener did not acknowledge
 * within 3 s (GuardedApp acknowledges everything else at once). Slack has stopped waiting by
 * then; the request is closed with an empty 200 so that nothing is left hanging.
 */
export function httpUnhandledRequestHandler(logger: Logger) {
  return ({ request, response }: ReceiverUnhandledRequestHandlerArgs): void => {
    logger.warn({ type: typeOf((request as { body?: unknown }).body) }, 'a slack request was not acknowledged within 3 seconds');
    if (!response.headersSent) {
      response.writeHead(200);
      response.end();
    }
  };
}

/** SocketModeReceiver `processEventErrorHandler`: a malformed envelope is acknowledged (a retry cannot fix it). */
export function socketProcessEventErrorHandler(logger: Logger) {
  return async ({ error, event }: SocketModeReceiverProcessEventErrorHandlerArgs): Promise<boolean> => {
    const status = statusForError(error);
    if (status === 400) {
      logger.warn({ problems: error instanceof MalformedSlackRequest ? error.problems : undefined, type: typeOf(event.body) }, 'slack request rejected: malformed');
      return true;
    }
    logger.error({ err: { message: error.message, code: (error as { code?: string }).code }, type: typeOf(event.body) }, 'slack request failed');
    return status === 401;
  };
}
