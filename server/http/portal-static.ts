import type { RequestHandler } from 'express';

// STUB — replaced by the portal work (issue 3): serves dist/portal with an SPA fallback.
export function portalStatic(): RequestHandler {
  return (_req, _res, next) => next();
}
