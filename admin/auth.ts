import express, { type Request, type RequestHandler, type Router } from 'express';
import type AdminJS from 'adminjs';
import { isStaff } from '../server/access/roles.js';
import { login } from '../server/auth/login.js';
import { authRateLimit } from '../server/auth/rate-limit.js';
import { endSession, establishSession } from '../server/auth/session.js';
import { clientMeta } from '../server/http/request-context.js';
import { DomainError, errorEnvelope, Invalid } from '../server/shared/errors.js';
import { panelAdmin } from './current-admin.js';

/**
 * The panel's door. AdminJS's own login counts retries per process and
 * answers a failure with 200; ours calls the login service (which counts
 * failures in the database, for SPEC rule 12) and answers with the service's
 * status: 401 for wrong credentials, 429 with Retry-After while locked.
 */
export function mountPanelLogin(router: Router, admin: AdminJS): void {
  const { loginPath, logoutPath, rootPath } = admin.options;
  const local = (p: string) => p.replace(rootPath, '') || '/';
  // The login page posts a form; scripts and API clients may post JSON.
  const parseForm = [express.urlencoded({ extended: false, limit: '10kb' }), express.json({ limit: '10kb' })];

  router.get(local(loginPath), async (req, res) => {
    if (req.currentUser && isStaff(req.currentUser.role)) return res.redirect(rootPath);
    res.send(await admin.renderLogin({ action: loginPath, errorMessage: null }));
  });

  router.post(local(loginPath), authRateLimit(), ...parseForm, async (req, res, next) => {
    const email = typeof req.body?.email === 'string' ? req.body.email : '';
    const password = typeof req.body?.password === 'string' ? req.body.password : '';
    // The login page gets its page back; a JSON client the error envelope (SPEC §8), with the same words.
    const refuse = async (err: DomainError, message = err.message) => {
      res.status(err.status);
      if (req.is('application/json')) return res.json(errorEnvelope(err));
      return res.send(await admin.renderLogin({ action: loginPath, errorMessage: message }));
    };
    if (!email.trim() || !password) {
      return refuse(new Invalid('Enter your email and password.', {
        ...(email.trim() ? {} : { email: 'Enter your email.' }), ...(password ? {} : { password: 'Enter your password.' }),
      }));
    }
    try {
      const meta = clientMeta(req);
      const user = await login({ email, password }, { ip: meta.ip ?? 'unknown', userAgent: meta.userAgent, channel: 'panel' });
      await establishSession(req, user, 'panel');
      res.redirect(302, rootPath);
    } catch (err) {
      if (!(err instanceof DomainError)) return next(err);
      for (const [k, v] of Object.entries(err.headers ?? {})) res.setHeader(k, v);
      const minutes = Number(err.headers?.['Retry-After'] ?? 0) / 60;
      return refuse(err, err.status === 429 ? `${err.message} (about ${Math.max(1, Math.ceil(minutes))} min)` : err.message);
    }
  });

  router.get(local(logoutPath), async (req, res, next) => {
    try {
      await endSession(req, res);
      res.redirect(loginPath);
    } catch (err) {
      next(err);
    }
  });
}

/**
 * After the shared session middleware has re-read the user: only active
 * staff pass, and AdminJS's "current admin" is made fresh from that user on
 * this request (non-enumerable, so it is never saved into the session and
 * cannot outlive a block or a role change).
 */
export function requirePanelUser(admin: AdminJS): RequestHandler {
  const { loginPath } = admin.options;
  return (req, res, next) => {
    // The login page needs the public bundles before anyone is logged in.
    if (req.path.startsWith('/frontend/assets/')) return next();
    const user = req.currentUser;
    if (!user || !req.actor || !isStaff(user.role)) return res.redirect(loginPath);
    setCurrentAdmin(req, panelAdmin(user, req.actor));
    next();
  };
}

function setCurrentAdmin(req: Request, value: unknown): void {
  Object.defineProperty(req.session, 'adminUser', { value, enumerable: false, configurable: true, writable: true });
}
