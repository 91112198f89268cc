/**
 * The one HTTP server: Teams (/api/messages), Slack (/slack/events, mounted by the Slack channel),
 * health and metrics. Bodies are size-limited; malformed JSON gets a 400, never a crash.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { CoreServices } from '../core/core-services';
import { isDatabaseUsable } from '../storage/database';

export interface HttpServer {
  app: Express;
  server: http.Server;
  /** Base URL once listening, e.g. http://127.0.0.1:3978 */
  url: string;
  port: number;
  close(): Promise<void>;
}

export function createExpressApp(core: CoreServices, routes: { teams?: RequestHandler }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    const database = isDatabaseUsable(core.db);
    const index = database && core.knowledge.isUsable();
    res.status(database && index ? 200 : 503).json({ status: database && index ? 'ok' : 'unavailable', database, index });
  });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', core.metrics.registry.contentType);
    res.send(await core.metrics.registry.metrics());
  });
  if (routes.teams) {
    const teams = routes.teams;
    app.post('/api/messages', express.json({ limit: core.config.maxBodyBytes }), (req, res, next) => {
      Promise.resolve(teams(req, res, next)).catch(next);
    });
  }
  return app;
}

/** Final handlers, added after every route (the Slack channel mounts its own). */
export function addErrorHandlers(app: Express, core: CoreServices): void {
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    const status = typeof error?.status === 'number' ? error.status : typeof error?.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 500) core.logger.error({ err: error }, 'http request failed');
    else core.logger.warn({ status, type: error?.type }, 'http request rejected');
    if (res.headersSent) return;
    const message =
      status === 413 ? 'request body too large' : status === 400 ? 'malformed request body' : status === 401 ? 'unauthorized' : status < 500 ? 'bad request' : 'internal error';
    res.status(status).json({ error: message });
  };
  app.use(onError);
}

export async function listen(app: Express, host: string, port: number): Promise<HttpServer> {
  const server = http.createServer(app);
  server.requestTimeout = 60_000;
  server.headersTimeout = 15_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    app,
    server,
    port: address.port,
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
