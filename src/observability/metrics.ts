/** Prometheus metrics served at GET /metrics. One registry per app so tests do not share counters. */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  turns: Counter<'channel' | 'surface'>;
  replyErrors: Counter<'channel'>;
  turnSeconds: Histogram<'channel'>;
  llmRequests: Counter<'outcome'>;
  outboxSent: Counter<'channel' | 'outcome'>;
}

export function createMetrics(withDefaults = true): Metrics {
  const registry = new Registry();
  if (withDefaults) collectDefaultMetrics({ register: registry, prefix: 'tsumiki_' });
  return {
    registry,
    turns: new Counter({ name: 'tsumiki_turns_total', help: 'Turns handled, by channel and surface', labelNames: ['channel', 'surface'], registers: [registry] }),
    replyErrors: new Counter({ name: 'tsumiki_turn_errors_total', help: 'Turns that ended in an error reply', labelNames: ['channel'], registers: [registry] }),
    turnSeconds: new Histogram({
      name: 'tsumiki_turn_seconds',
      help: 'Time to handle a turn',
      labelNames: ['channel'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
    llmRequests: new Counter({ name: 'tsumiki_llm_requests_total', help: 'Model requests by outcome', labelNames: ['outcome'], registers: [registry] }),
    outboxSent: new Counter({ name: 'tsumiki_outbox_messages_total', help: 'Proactive messages by channel and outcome', labelNames: ['channel', 'outcome'], registers: [registry] }),
  };
}
