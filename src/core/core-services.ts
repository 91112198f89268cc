/**
 * What the composition root hands to every feature and channel. Features add themselves
 * (the knowledge base, the scheduler) and register commands on the router.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { KnowledgeBase } from '../knowledge/types';
import type { Metrics } from '../observability/metrics';
import type { ActorResolver } from '../people/actor-resolver';
import type { PeopleRepository } from '../people/people-repository';
import type { Db } from '../storage/database';
import type { Router } from './router';
import type { ChannelKind, ProactiveSender } from './types';

export interface CoreServices {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  db: Db;
  people: PeopleRepository;
  actors: ActorResolver;
  router: Router;
  knowledge: KnowledgeBase;
  /** Channels that can send unprompted messages, filled in as channels start. */
  senders: Map<ChannelKind, ProactiveSender>;
  clock: () => Date;
  /** Registers cleanup to run at shutdown (last registered runs first). */
  onClose(fn: () => void | Promise<void>): void;
}
