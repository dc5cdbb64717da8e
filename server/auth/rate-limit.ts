import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import { config } from '../config.js';
import { TooManyRequests } from '../shared/errors.js';
import { authRedis } from './redis.js';

/** Requests per address per window when the caller names no limit (the panel's login). */
export const DEFAULT_FLOOD_LIMIT = 600;

export interface AuthRateLimitOptions {
  /** Requests per window per client IP. */
  limit?: number;
  windowMs?: number;
  /** Redis key prefix (tests use a unique one per run). */
  prefix?: string;
}

/**
 * The broad per-IP ceiling in front of /api/auth/* (register, login, reset …).
 * The precise login lock of rule 12 lives in login.ts, counted in the
 * database; this only stops floods. Counters live in Redis when REDIS_URL is
 * set, so every web instance shares them; in memory otherwise (one process).
 * `req.ip` honours X-Forwarded-For only from the configured proxies.
 */
export function authRateLimit(options: AuthRateLimitOptions = {}): RequestHandler {
  const prefix = options.prefix ?? 'qhealth:rl:auth:';
  return rateLimit({
    windowMs: options.windowMs ?? 10 * 60_000,
    // The same flood allowance as the portal's auth routes: guessing is stopped by the login locks,
    // and one address may be a whole clinic behind NAT.
    limit: options.limit ?? DEFAULT_FLOOD_LIMIT,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // A client's own X-Forwarded-For without a trusted proxy is just a header we ignore (req.ip stays the
    // socket's); the library's check would log a stack trace for every such request.
    // creationStack reads a stack trace (with --enable-source-maps, parsing the bundle's source map at start):
    // limiters are made when the app is built, never inside a handler.
    validate: { xForwardedForHeader: false, creationStack: false },
    store: config().redisUrl
      ? new RedisStore({ prefix, sendCommand: async (...args: string[]) => (await authRedis()).sendCommand(args) })
      : undefined,
    handler: (req, _res, next) => {
      const resetTime = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = resetTime ? (resetTime.getTime() - Date.now()) / 1000 : 60;
      next(new TooManyRequests('Too many requests from your address. Please try again later.', seconds));
    },
  });
}
