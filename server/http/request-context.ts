import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { Actor } from '../access/actor.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      id?: string;
    }
  }
}

/** Gives every request an id (kept from a trusted proxy's X-Request-Id) and echoes it. */
export const requestId: RequestHandler = (req, res, next) => {
  const incoming = req.get('x-request-id');
  req.id = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', req.id);
  next();
};

/** The request's client facts for the audit trail. `req.ip` honours only configured proxies. */
export function clientMeta(req: Request): Pick<Actor, 'ip' | 'userAgent' | 'requestId'> {
  return { ip: req.ip ?? req.socket.remoteAddress ?? null, userAgent: req.get('user-agent') ?? null, requestId: req.id ?? null };
}
