/**
 * The composition root: the only place that knows every part. `buildCore` wires configuration,
 * storage, the knowledge base and the features (enough for the CLI); `startTsumiki` adds the HTTP
 * server, the channels, the scheduler and, in local mode, the Agents Playground.
 */
import type { Logger } from 'pino';
import { describeConfig, type Config } from './config/config';
import { registerBuiltinCommands } from './core/builtin-commands';
import type { CoreServices } from './core/core-services';
import { Router } from './core/router';
import type { ChannelKind, ProactiveSender } from './core/types';
import { registerConsultation } from './consultation';
import { createKnowledgeBase } from './knowledge';
import { createMetrics } from './observability/metrics';
import { registerOneOnOne } from './oneonone';
import { ActorResolver } from './people/actor-resolver';
import { PeopleRepository } from './people/people-repository';
import { registerPrivacy, startRetention } from './privacy';
import { registerReflections } from './reflections';
import { createScheduler, type Scheduler } from './scheduler';
import { checkpoint, openDatabase } from './storage/database';
import { addErrorHandlers, createExpressApp, listen, type HttpServer } from './server/http-server';
// The channels are loaded when configured (see `channelModules`): a Slack-only process never loads
// botbuilder, a Teams-only one never loads Bolt, and a one-shot sender loads neither.
import type { RunningPlayground } from './channels/local/playground';

export interface BuildOptions {
  clock?: () => Date;
  /** Leave out default process metrics (tests build many apps). */
  defaultMetrics?: boolean;
}

export interface Core extends CoreServices {
  close(): Promise<void>;
}

/** Storage, knowledge base, router and features: everything but the network. */
export function buildCore(config: Config, logger: Logger, options: BuildOptions = {}): Core {
  const closers: Array<() => void | Promise<void>> = [];
  const db = openDatabase(config.databasePath);
  closers.push(() => {
    db.close();
  });
  const people = new PeopleRepository(db);
  const clock = options.clock ?? (() => new Date());
  const router = new Router(logger, clock);
  const core: Core = {
    config,
    logger,
    metrics: createMetrics(options.defaultMetrics ?? false),
    db,
    people,
    actors: new ActorResolver(people, { timezone: config.defaultTimezone, locale: config.defaultLocale }),
    router,
    knowledge: createKnowledgeBase(db, config, logger),
    senders: new Map<ChannelKind, ProactiveSender>(),
    clock,
    onClose: (fn) => {
      closers.push(fn);
    },
    close: async () => {
      for (const fn of closers.reverse()) {
        try {
          await fn();
        } catch (error) {
          logger.error({ err: error }, 'error during shutdown');
        }
      }
      closers.length = 0;
    },
  };
  registerBuiltinCommands(router);
  registerConsultation(core);
  registerReflections(core);
  registerOneOnOne(core);
  registerPrivacy(core);
  return core;
}

/**
 * Registers the channels' ProactiveSenders on `core` without starting a server or a listener, for
 * one-shot commands (`tsumiki tick`, `tsumiki invite`): Slack when a bot token is configured,
 * Teams when an app id is. Returns the channels that can now send.
 */
export function attachChannelSenders(core: Core): ChannelKind[] {
  if (core.config.slack && !core.senders.has('slack')) core.senders.set('slack', channelModules.slackSender().createSlackBroadcastSender(core));
  if (core.config.teams && !core.senders.has('teams')) channelModules.teams().createTeamsChannel(core);
  return [...core.senders.keys()];
}

/**
 * The channel adapters, required on first use: each drags in its SDK (Bolt about 30 MB of RSS,
 * botbuilder about 50 MB), which a process that does not run that channel should not pay for.
 * `require`, not `import()`: the callers are synchronous and the code runs as CommonJS (tsx, jest).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const channelModules = {
  slack: () => require('./channels/slack') as typeof import('./channels/slack'),
  slackSender: () => require('./channels/slack/slack-sender') as typeof import('./channels/slack/slack-sender'),
  teams: () => require('./channels/teams') as typeof import('./channels/teams'),
  playground: () => require('./channels/local/playground') as typeof import('./channels/local/playground'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

export interface RunningTsumiki {
  core: Core;
  http: HttpServer;
  scheduler: Scheduler;
  playground?: RunningPlayground;
  stop(): Promise<void>;
}

/** What `npm start` runs. */
export async function startTsumiki(config: Config, logger: Logger, options: BuildOptions = {}): Promise<RunningTsumiki> {
  if (config.env === 'production' && !config.slack && !config.teams) {
    throw new Error(
      'no channel is configured: set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN for Slack, or MicrosoftAppId and MicrosoftAppPassword for Teams',
    );
  }
  const core = buildCore(config, logger, { defaultMetrics: true, ...options });
  try {
    logger.info(describeConfig(config), 'starting Tsumiki');
    const report = await core.knowledge.ingest(config.dataDir);
    logger.info(
      { added: report.added, changed: report.changed, removed: report.removed, unchanged: report.unchanged, problems: report.problems.length },
      'document index up to date',
    );
    for (const problem of report.problems) logger.warn({ path: problem.path, reason: problem.reason }, 'document skipped');

    const teams = config.teams || config.localMode ? channelModules.teams().createTeamsChannel(core) : undefined;
    const app = createExpressApp(core, { teams: teams?.handle });
    if (config.slack) await channelModules.slack().createSlackChannel(core, app);
    addErrorHandlers(app, core);
    const http = await listen(app, config.host, config.port);
    core.onClose(() => http.close());
    logger.info({ url: http.url }, 'listening');

    const checkpointTimer = setInterval(() => {
      try {
        checkpoint(core.db);
      } catch (error) {
        logger.warn({ err: error }, 'WAL checkpoint failed');
      }
    }, 60_000);
    checkpointTimer.unref();
    core.onClose(() => clearInterval(checkpointTimer));

    const scheduler = createScheduler(core);
    if (config.scheduler) scheduler.start();
    startRetention(core);
    core.onClose(() => scheduler.stop());

    let playground: RunningPlayground | undefined;
    if (config.playground) {
      playground = await channelModules.playground().startPlayground({ botEndpoint: `${http.url}/api/messages` }, logger);
      core.onClose(() => playground!.stop());
      logger.info({ url: playground.url }, 'Agents Playground ready: open it in a browser to chat with Tsumiki');
    }
    return { core, http, scheduler, playground, stop: () => core.close() };
  } catch (error) {
    await core.close();
    throw error;
  }
}
