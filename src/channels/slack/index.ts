/**
 * The Slack channel on Bolt: Socket Mode with SLACK_APP_TOKEN, else HTTP at POST /slack/events on
 * the shared express app (Bolt's ExpressReceiver verifies every request's signature and answers
 * 401 to a bad, missing or stale one before anything is parsed). Listeners stay thin: payload →
 * Turn → core.router → Block Kit → Web API.
 */
import { ExpressReceiver, webApi, type App, type Receiver, type SocketModeReceiver } from '@slack/bolt';
import type { Express } from 'express';
import type { CoreServices } from '../../core/core-services';
import { AckFirstQueue, type AckFirstOptions } from './ack-first';
import { boltLogger } from './bolt-logger';
import { firstDelivery, pruneProcessedEvents } from './dedupe';
import { GuardedApp, httpProcessEventErrorHandler, httpUnhandledRequestHandler } from './guarded-app';
import { SlackIdentity } from './identity';
import { registerActionListeners } from './listeners/actions';
import { registerAssistant } from './listeners/assistant';
import { registerCommandListeners } from './listeners/commands';
import type { ListenerDeps } from './listeners/deps';
import { registerEventListeners } from './listeners/events';
import { registerMessageListeners } from './listeners/messages';
import { SlackProactiveSender, createSlackBroadcastSender, type SlackSenderOptions } from './slack-sender';
import { createSocketModeReceiver, startSocketMode, stopSocketMode, type SocketModeOptions } from './socket-mode';

export interface SlackChannel {
  app: App;
  sender: SlackProactiveSender;
  mode: 'socket' | 'http';
  stop(): Promise<void>;
}

export interface SlackChannelOptions {
  /** Web API request timeout (ms). */
  timeoutMs?: number;
  /** Retries of a failed Web API call (network errors, 5xx); 429s wait for Retry-After. */
  retries?: number;
  sender?: SlackSenderOptions;
  /** Minimum gap between progress updates of a posted answer (ms). */
  updateIntervalMs?: number;
  ackFirst?: AckFirstOptions;
  socketMode?: SocketModeOptions;
}

/** Web API options shared by both clients; the broadcast client additionally rejects rate-limited calls. */
export function webClientOptions(core: CoreServices, options: SlackChannelOptions = {}): webApi.WebClientOptions {
  return {
    slackApiUrl: core.config.slack?.apiUrl,
    timeout: options.timeoutMs ?? 10_000,
    retryConfig: { retries: options.retries ?? 2, factor: 2, minTimeout: 300, maxTimeout: 3000, randomize: true },
    logger: boltLogger(core.logger.child({ channel: 'slack', component: 'web-api' })),
  };
}

/** The sender for scheduled broadcasts (its own client and queue); built without loading Bolt. */
export { createSlackBroadcastSender as createSlackProactiveSender } from './slack-sender';

export async function createSlackChannel(core: CoreServices, expressApp: Express, options: SlackChannelOptions = {}): Promise<SlackChannel | undefined> {
  const slack = core.config.slack;
  if (!slack) return undefined;
  const logger = core.logger.child({ channel: 'slack' });
  const slackLogger = boltLogger(logger);
  const clientOptions = webClientOptions(core, options);

  let receiver: Receiver;
  let socketReceiver: SocketModeReceiver | undefined;
  let mode: SlackChannel['mode'];
  if (slack.appToken) {
    mode = 'socket';
    // apps.connections.open honours SLACK_API_URL too (see socket-mode.ts).
    receiver = socketReceiver = createSocketModeReceiver(slack.appToken, clientOptions, logger, slackLogger);
  } else {
    if (!slack.signingSecret) throw new Error('Slack over HTTP needs SLACK_SIGNING_SECRET');
    mode = 'http';
    receiver = new ExpressReceiver({
      signingSecret: slack.signingSecret,
      logger: slackLogger,
      app: expressApp,
      endpoints: '/slack/events',
      bodyLimit: core.config.maxBodyBytes,
      // Everything is acknowledged at once and answered afterwards; never hold Slack's request.
      processBeforeResponse: false,
      // Malformed but signed requests get a 400 with the reason, never a 500 (see guarded-app.ts).
      processEventErrorHandler: httpProcessEventErrorHandler(logger),
      unhandledRequestHandler: httpUnhandledRequestHandler(logger),
    });
  }

  // auth.test once, up front: a wrong token fails the start with a clear message, and Bolt gets
  // the bot's ids so it never calls auth.test again.
  let auth: webApi.AuthTestResponse;
  try {
    auth = await new webApi.WebClient(slack.botToken, clientOptions).auth.test();
  } catch (error) {
    throw new Error(`Slack rejected the bot token or could not be reached (auth.test): ${(error as Error).message}`);
  }
  const botUserId = auth.user_id;
  const app: App = new GuardedApp(
    {
      token: slack.botToken,
      botId: auth.bot_id,
      botUserId,
      receiver,
      logger: slackLogger,
      clientOptions,
      ignoreSelf: true,
    },
    logger,
  );

  const identity = new SlackIdentity(core, app.client, logger);
  const ackFirst = new AckFirstQueue(options.ackFirst);
  const deps: ListenerDeps = {
    core,
    client: app.client,
    identity,
    logger,
    botUserId,
    updateIntervalMs: options.updateIntervalMs,
    afterAck: (work) => ackFirst.run(work),
  };

  // Slack retries an unacknowledged event after 3 s with the same event_id: answer only once.
  app.use(async ({ body, next, context }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string' && !firstDelivery(core.db, eventId, core.clock())) {
      logger.debug({ eventId, retryNum: context.retryNum, retryReason: context.retryReason }, 'duplicate slack event ignored');
      return;
    }
    await next();
  });
  // Assistant threads first: Bolt's Assistant consumes DM thread messages and stops the chain.
  registerAssistant(app, deps);
  registerMessageListeners(app, deps);
  registerCommandListeners(app, deps);
  registerActionListeners(app, deps);
  registerEventListeners(app, deps);
  app.error(async (error) => {
    logger.error({ err: { message: error.message, code: error.code } }, 'slack listener failed');
  });

  const sender = createSlackBroadcastSender(core, options);
  core.senders.set('slack', sender);

  const pruneTimer = setInterval(() => {
    try {
      pruneProcessedEvents(core.db, core.clock());
    } catch (error) {
      logger.warn({ err: { message: (error as Error).message } }, 'pruning processed events failed');
    }
  }, 3600_000);
  pruneTimer.unref();

  if (socketReceiver) {
    try {
      await startSocketMode(socketReceiver, () => app.start(), options.socketMode);
    } catch (error) {
      clearInterval(pruneTimer);
      core.senders.delete('slack');
      throw error;
    }
  }
  logger.info({ mode, botUserId }, 'slack channel ready');

  const stop = async () => {
    clearInterval(pruneTimer);
    ackFirst.flush();
    core.senders.delete('slack');
    if (socketReceiver) await stopSocketMode(socketReceiver, logger, options.socketMode);
  };
  core.onClose(stop);
  return { app, sender, mode, stop };
}
