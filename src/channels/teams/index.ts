/**
 * The Teams channel on botbuilder's CloudAdapter. Everything botbuilder-specific stays in this
 * folder, so a move to the Microsoft 365 Agents SDK touches nothing else.
 */
import type { Activity, TurnContext } from 'botbuilder';
import type { Request, Response } from 'express';
import type { CoreServices } from '../../core/core-services';
import { TeamsAdapter, type TeamsAdapterOptions } from './teams-adapter';
import { TeamsBot } from './teams-bot';
import { TeamsProactiveSender } from './proactive-sender';
import { checkActivity } from './activity-guard';
import { authenticationFailureStatus, createTeamsAuthentication, type TeamsIdentityEndpoints } from './authentication';

export type { TeamsIdentityEndpoints } from './authentication';

export interface TeamsChannel {
  adapter: TeamsAdapter;
  /** Express handler for POST /api/messages. */
  handle(req: Request, res: Response): Promise<void>;
}

export interface TeamsChannelOptions {
  /** Minimum time between two streaming updates (Teams wants about one a second). */
  streamIntervalMs?: number;
  /** How long an answer may take before a status line opens a stream (fast answers go as one message). */
  streamStatusDelayMs?: number;
  /** How long an answer may take before the typing indicator is sent. */
  typingDelayMs?: number;
  adapter?: Partial<Omit<TeamsAdapterOptions, 'logger'>>;
  /**
   * A private identity provider instead of Microsoft's public cloud (tests: a fake one on
   * 127.0.0.1). Needs MicrosoftAppId; left out, botbuilder's defaults apply.
   */
  identity?: TeamsIdentityEndpoints;
  /** How long the token check may take (fetching the signing keys included) before the request gets 503. */
  authenticationTimeoutMs?: number;
}

/** Error text for a turn that failed outside the router (the router itself never throws). */
const TURN_FAILED = '申し訳ありません、問題が起きました。もう一度お試しください。 / Sorry, something went wrong. Please try again.';

/**
 * Builds the channel and registers its ProactiveSender in `core.senders`.
 * @throws when not in local mode and no MicrosoftAppId is set: without an app id botbuilder
 *   accepts any request unauthenticated.
 */
export function createTeamsChannel(core: CoreServices, options: TeamsChannelOptions = {}): TeamsChannel {
  const { config, logger } = core;
  if (!config.teams && !config.localMode) {
    throw new Error('Teams needs MicrosoftAppId (without an app id botbuilder checks no tokens); it runs unauthenticated only in local mode');
  }
  if (!config.teams?.appId && config.env === 'production') {
    throw new Error('Teams refuses to start without MicrosoftAppId in production');
  }
  const auth = createTeamsAuthentication(config.teams, options.identity);
  const authenticationTimeoutMs = options.authenticationTimeoutMs ?? 10_000;
  const adapter = new TeamsAdapter(auth, { logger, ...options.adapter });
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error({ err: error, channel: 'teams', activityType: context.activity?.type }, 'teams turn failed');
    try {
      if (context.activity?.type === 'message') await context.sendActivity(TURN_FAILED);
    } catch {
      // The connector itself is unreachable: already logged above.
    }
  };
  const bot = new TeamsBot(core, {
    streaming: true,
    streamIntervalMs: options.streamIntervalMs,
    streamStatusDelayMs: options.streamStatusDelayMs,
    typingDelayMs: options.typingDelayMs,
    // The Agents Playground (local mode) has no OneDrive behind it: exports are attached inline there.
    fileConsent: !config.localMode,
  });
  core.senders.set('teams', new TeamsProactiveSender(core, adapter, config.teams?.appId ?? ''));
  return {
    adapter,
    handle: async (req, res) => {
      // 1. Authentication first: an unauthenticated caller learns nothing about what a valid activity looks like.
      const body = req.body as Record<string, unknown> | undefined;
      const header = req.headers.authorization;
      let authenticated: Awaited<ReturnType<typeof auth.authenticateRequest>>;
      try {
        // Only the two fields the token check reads, and only when they are strings.
        const forAuth = { channelId: stringOrUndefined(body?.channelId), serviceUrl: stringOrUndefined(body?.serviceUrl) } as Activity;
        // botbuilder fetches the signing keys without a timeout: the caller gets an answer either way.
        authenticated = await withTimeout(auth.authenticateRequest(forAuth, typeof header === 'string' ? header : ''), authenticationTimeoutMs);
      } catch (error) {
        const status = authenticationFailureStatus(error);
        if (status === 401) {
          logger.warn({ channel: 'teams', reason: error instanceof Error ? error.message : undefined }, 'teams request rejected: not authenticated');
          res.status(401).json({ error: 'unauthorized' });
          return;
        }
        if (status === 503 || error instanceof AuthenticationTimeout) {
          logger.error({ channel: 'teams', reason: error instanceof Error ? error.message : undefined }, 'teams request not checked: signing keys unavailable');
          res.status(503).json({ error: 'authentication unavailable, retry later' });
          return;
        }
        throw error;
      }
      // 2. Then the shape: a malformed activity is the sender's mistake (400), never a crash (500).
      const checked = checkActivity(body);
      if (!checked.ok) {
        logger.warn({ channel: 'teams', problems: checked.problems }, 'teams activity rejected: malformed');
        res.status(400).json({ error: 'malformed activity', problems: checked.problems });
        return;
      }
      // 3. The turn, with the checked activity (botbuilder's own fix-ups applied: timestamps become dates).
      const invokeResponse = await adapter.runAuthenticated(authenticated, checked.activity as unknown as Partial<Activity>, (context) => bot.run(context));
      res.status(invokeResponse?.status ?? 200);
      if (invokeResponse?.body !== undefined) res.send(invokeResponse.body);
      res.end();
    },
  };
}

class AuthenticationTimeout extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AuthenticationTimeout(`token check took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
