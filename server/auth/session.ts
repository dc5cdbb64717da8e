import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import { RedisStore } from 'connect-redis';
import type { EntityManager } from 'typeorm';
import { userActor, type Actor } from '../access/actor.js';
import type { Role } from '../access/roles.js';
import { config } from '../config.js';
import { db } from '../db/data-source.js';
import { Session } from '../db/entities/session.js';
import { User } from '../db/entities/user.js';
import { clientMeta } from '../http/request-context.js';
import { clock } from '../shared/clock.js';
import { Forbidden, Unauthenticated } from '../shared/errors.js';
import { authRedis } from './redis.js';
import { DatabaseSessionStore } from './session-store.js';

/**
 * Sessions of SPEC rule 15, shared by the portal and the panel: one cookie,
 * one store (Redis when REDIS_URL is set, else the `sessions` table), and the
 * user re-read on every request so that blocking, a password change or a role
 * change ends a session at once (rule 11).
 */
export type Channel = 'portal' | 'panel';

declare module 'express-session' {
  interface SessionData {
    userId?: number;
    role?: Role;
    /** The user's sessionEpoch at login; a different one ends the session. */
    sessionEpoch?: number;
    /** Login time (epoch ms, clinic clock): the 12-hour absolute limit counts from it. */
    loginAt?: number;
    /** Last request (epoch ms, clinic clock), refreshed at most once a minute. */
    seenAt?: number;
    channel?: Channel;
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The logged-in user as an Actor for the services; undefined when anonymous. */
      actor?: Actor;
      /** The logged-in user, re-read from the database on this request. */
      currentUser?: User;
    }
  }
}

export const SESSION_COOKIE = 'qhealth.sid';
export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;
export const SESSION_REDIS_PREFIX = 'qhealth:sess:';
const SEEN_RESOLUTION_MS = 60_000;

let store: Promise<session.Store> | undefined;

/** The one session store of this process: the panel must use this same instance. */
export function sessionStore(): Promise<session.Store> {
  store ??= (async () => {
    if (config().redisUrl) {
      return new RedisStore({ client: await authRedis(), prefix: SESSION_REDIS_PREFIX, ttl: SESSION_IDLE_MS / 1000 });
    }
    return new DatabaseSessionStore();
  })();
  return store;
}

/** Tests swap the store (e.g. a Redis store under a unique prefix). */
export function setSessionStore(replacement: session.Store | undefined): void {
  store = replacement ? Promise.resolve(replacement) : undefined;
}

/**
 * express-session options for both doors. `secure: 'auto'` marks the cookie
 * Secure when the request came over TLS, as seen through a trusted proxy
 * (app's `trust proxy`). `rolling` renews the 30-minute idle window on each
 * response.
 */
export async function sessionOptions(): Promise<session.SessionOptions> {
  return {
    name: SESSION_COOKIE,
    secret: config().sessionSecret,
    store: await sessionStore(),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: SESSION_IDLE_MS, path: '/' },
  };
}

/**
 * express-session, then the cross-origin refusal, then the session's user:
 * one handler for every route that a session cookie authenticates.
 */
export async function createSessionMiddleware(): Promise<RequestHandler> {
  const loadSession = session(await sessionOptions());
  return (req, res, next) => {
    loadSession(req, res, (err?: unknown) => {
      if (err) return next(err);
      refuseCrossOrigin(req, res, (err2?: unknown) => {
        if (err2) return next(err2);
        resolveSessionUser(req, res, next);
      });
    });
  };
}

/** Why a loaded session may not continue, or null when it may. */
function sessionProblem(data: session.SessionData, user: User | null, now: number): string | null {
  if (!user) return 'user_gone';
  if (user.isBlocked) return 'blocked';
  if (!user.isActive) return 'inactive';
  if (data.sessionEpoch !== user.sessionEpoch) return 'epoch';
  if (data.role !== user.role) return 'role';
  if (!data.loginAt || now - data.loginAt > SESSION_ABSOLUTE_MS) return 'absolute_timeout';
  if (!data.seenAt || now - data.seenAt > SESSION_IDLE_MS) return 'idle_timeout';
  return null;
}

/**
 * Re-reads the session's user on every request and drops the session when
 * the user is gone, blocked, inactive, of another epoch, or past the idle or
 * absolute limit. Exported for the panel, whose router may load the session
 * with its own express-session instance (same options, same store).
 */
export const resolveSessionUser: RequestHandler = (req, _res, next) => {
  resolve(req).then(() => next(), next);
};

async function resolve(req: Request): Promise<void> {
  req.actor = undefined;
  req.currentUser = undefined;
  const data = req.session;
  if (!data?.userId) return;
  const now = clock.now().getTime();
  const user = await db().getRepository(User).findOne({ where: { id: data.userId } });
  if (sessionProblem(data, user, now)) {
    await regenerate(req);
    return;
  }
  if (now - (data.seenAt ?? 0) > SEEN_RESOLUTION_MS) data.seenAt = now;
  req.currentUser = user!;
  req.actor = userActor(user!, clientMeta(req));
}

/** Starts a fresh session for `user` after a successful login (new id: no fixation). */
export async function establishSession(req: Request, user: User, channel: Channel): Promise<void> {
  await regenerate(req);
  const now = clock.now().getTime();
  req.session.userId = user.id;
  req.session.role = user.role;
  req.session.sessionEpoch = user.sessionEpoch;
  req.session.loginAt = now;
  req.session.seenAt = now;
  req.session.channel = channel;
  await new Promise<void>((ok, fail) => req.session.save((err) => (err ? fail(err) : ok())));
  req.currentUser = user;
  req.actor = userActor(user, clientMeta(req));
}

/** Logout: the session is destroyed in the store and the cookie cleared. */
export async function endSession(req: Request, res?: Response): Promise<void> {
  req.actor = undefined;
  req.currentUser = undefined;
  if (req.session) {
    await new Promise<void>((ok, fail) => req.session.destroy((err) => (err ? fail(err) : ok())));
  }
  res?.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax' });
}

/** The request's actor, or 401. */
export function requireActor(req: Request): Actor {
  if (!req.actor) throw new Unauthenticated();
  return req.actor;
}

/**
 * Deletes a user's sessions from the embedded store inside the caller's
 * transaction. Redis-held sessions end through the epoch check instead.
 */
export async function deleteUserSessions(manager: EntityManager, userId: number): Promise<void> {
  await manager.delete(Session, { userId });
}

function regenerate(req: Request): Promise<void> {
  return new Promise((ok, fail) => req.session.regenerate((err) => (err ? fail(err) : ok())));
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Rule 15: a state-changing request whose Origin (or, lacking it, Referer)
 * names another site is refused. SameSite=Lax already keeps the cookie off
 * most cross-site POSTs; this is the second lock. No Origin and no Referer
 * (curl, server-to-server) passes: such a client has no victim's cookie.
 */
export const refuseCrossOrigin: RequestHandler = (req: Request, _res: Response, next: NextFunction) => {
  if (SAFE_METHODS.has(req.method)) return next();
  const source = req.get('origin') ?? originOf(req.get('referer'));
  if (source === undefined) return next();
  const allowed = [originOf(config().publicUrl), originOf(`${req.protocol}://${req.get('host')}`)];
  if (allowed.includes(source)) return next();
  next(new Forbidden('Requests from another site are refused.'));
};

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return 'null';
  }
}
