import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import swaggerUi from 'swagger-ui-express';
import { z } from 'zod';
import { appointmentRoutes } from '../appointments/routes.js';
import { authRoutes } from '../auth/routes.js';
import { catalogueRoutes } from '../catalogue/routes.js';
import { config } from '../config.js';
import { recordRoutes } from '../records/routes.js';
import { NotFound } from '../shared/errors.js';
import { meRoutes } from '../users/me-routes.js';
import { ApiBuilder, JSON_TYPES, methodNotAllowed } from './openapi.js';

/**
 * Largest JSON body the API reads; larger ones get 413 (SPEC §8). 100 kB in
 * bytes, not 100 KiB ('100kb' to body-parser is 102,400): a body over 100 kB
 * by either reading is refused.
 */
export const API_BODY_LIMIT = 100_000;

const clinicConfigSchema = z
  .object({
    clinicName: z.string(),
    address: z.string(),
    timeZone: z.string().meta({ description: 'IANA zone in which the clinic shows times.' }),
    hours: z.object({
      firstDay: z.number().int().meta({ description: 'ISO weekday, 1 = Monday' }),
      lastDay: z.number().int(),
      openMinute: z.number().int().meta({ description: 'Minutes after midnight, clinic time' }),
      closeMinute: z.number().int(),
    }),
  })
  .meta({ id: 'ClinicConfig' });

/**
 * The portal's JSON API under /api (the session middleware is mounted in
 * front by app.ts). Body parsing lives here only: AdminJS must not see it.
 * Parser errors (malformed JSON, too large) go to the shared error handler.
 */
export function apiRouter(): Router {
  const router = Router();
  router.use(express.json({ limit: API_BODY_LIMIT, type: JSON_TYPES }));
  const api = new ApiBuilder(router);

  api.route(
    {
      method: 'get', path: '/config', tag: 'Clinic', status: 200, response: clinicConfigSchema,
      summary: 'The clinic\'s name, time zone and opening hours (public)',
    },
    () => {
      const { name, address, timeZone, hours } = config().clinic;
      return { clinicName: name, address, timeZone, hours };
    },
  );
  authRoutes(api);
  meRoutes(api);
  catalogueRoutes(api);
  appointmentRoutes(api);
  recordRoutes(api);
  api.refuseOtherMethods();

  // The document is generated on first use, not at start (a few hundred ms of
  // zod-to-openapi work that no start-up needs); Swagger UI's setup reads it.
  let docs: { document: object; page: RequestHandler } | undefined;
  const documentation = () => {
    if (!docs) {
      const document = api.openApiDocument({
        title: 'QHealth patient portal API',
        version: '1.0.0',
        description:
          'The JSON API of the QHealth patient portal. Log in with POST /api/auth/login; the session cookie authenticates the rest. ' +
          'Lists answer `{ items, total, page, perPage }` (page from 1, perPage up to 100); errors answer `{ error: { code, message, fields? } }`.',
      }, config().publicUrl);
      docs = { document, page: swaggerUi.setup(document, { customSiteTitle: 'QHealth API' }) };
    }
    return docs;
  };
  const readOnly = methodNotAllowed(['GET', 'HEAD']);
  router.get('/openapi.json', (_req, res) => {
    res.json(documentation().document);
  });
  router.all('/openapi.json', readOnly);
  // Swagger UI's assets come from the installed swagger-ui-dist: no CDN. Its
  // init script is written by setup(), so the document exists before serve.
  router.use(
    '/docs',
    (req: Request, res: Response, next: NextFunction) => (req.method === 'GET' || req.method === 'HEAD' ? next() : readOnly(req, res, next)),
    (_req: Request, _res: Response, next: NextFunction) => { documentation(); next(); },
    swaggerUi.serve,
    (req: Request, res: Response, next: NextFunction) => documentation().page(req, res, next),
  );

  router.use((req, _res, next) => next(new NotFound(`Route ${req.method} /api${req.path}`)));
  return router;
}
