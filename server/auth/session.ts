import type { RequestHandler } from 'express';

// STUB — replaced by the identity work: express-session with connect-redis
// (REDIS_URL) or the embedded TypeORM store, re-reading the user each request.
export async function createSessionMiddleware(): Promise<RequestHandler> {
  return (_req, _res, next) => next();
}
