import { Router, type RequestHandler } from 'express';
import { methodNotAllowed } from '../http/openapi.js';
import { currentHub } from './start.js';
import type { Audience, StreamHub } from './streams.js';

/**
 * Opens a live stream for the request's actor (set by the session middleware).
 * Errors before the stream starts (401, 403, 429) go to the error handler as
 * the usual JSON envelope.
 */
function eventsHandler(audience: Audience, hub?: StreamHub): RequestHandler {
  return (req, res, next) => {
    (hub ?? currentHub()).open(req, res, audience).catch((err) => {
      if (res.headersSent) res.destroy();
      else next(err);
    });
  };
}

/** `GET /api/events` (mounted there by server/http/app.ts): the patient's own changes. */
export function liveRouter(hub?: StreamHub): Router {
  const router = Router();
  router.get('/', eventsHandler('portal', hub));
  router.all('/', methodNotAllowed(['GET', 'HEAD']));
  return router;
}

/**
 * `GET /admin/api/events`: what the staff member's role may list. Mount it
 * behind the panel's session middleware, before AdminJS's router:
 * `app.get('/admin/api/events', panelSession, panelEventsHandler())`.
 */
export function panelEventsHandler(hub?: StreamHub): RequestHandler {
  return eventsHandler('panel', hub);
}
