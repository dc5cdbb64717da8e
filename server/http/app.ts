import express, { type Express } from 'express';
import { mountAdmin } from '../../admin/index.js';
import { createSessionMiddleware } from '../auth/session.js';
import { config } from '../config.js';
import { db } from '../db/data-source.js';
import { liveRouter } from '../live/routes.js';
import { apiRouter } from './api.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { portalStatic } from './portal-static.js';
import { requestId } from './request-context.js';

/**
 * The web process's HTTP surface. Order matters: AdminJS brings its own body
 * parsing (a global parser in front of it hangs its login), so JSON parsing
 * is mounted on /api only.
 */
export async function createApp(): Promise<Express> {
  const cfg = config();
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', cfg.trustProxy.length ? cfg.trustProxy : false);
  app.use(requestId);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await db().query('SELECT 1');
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ error: { code: 'not_ready', message: 'The database is not reachable.' } });
    }
  });

  const session = await createSessionMiddleware();
  await mountAdmin(app, session);
  app.use('/api/events', session, liveRouter());
  app.use('/api', session, apiRouter());
  app.use(portalStatic());

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
