import './adminjs-env.js';
import AdminJS from 'adminjs';
import { buildRouter } from '@adminjs/express';
import express, { type Express, type RequestHandler } from 'express';
import { PANEL_FORM_OPTIONS, panelApiErrors, panelBody, panelApiRoutesExist, panelApiStatus, panelBodyLimit } from './api-errors.js';
import { mountPanelLogin, requirePanelUser } from './auth.js';
import { createAdmin } from './setup.js';
import { exportRouter } from './export.js';
import { invitationRouter } from './invitation.js';
import { mountPanelLive } from './live/index.js';
import { mountPanelStyles } from './panel-styles.js';

/**
 * The staff panel at /admin (issue 6). It shares the portal's session store
 * and cookie (the `session` middleware re-reads the user on every request),
 * logs in through the login service, and writes only through services.
 */
export async function mountAdmin(app: Express, session: RequestHandler): Promise<AdminJS> {
  const admin = createAdmin();
  const router = express.Router();
  router.use(session);
  // Live lists (SPEC §6): the event stream and its script answer for themselves.
  mountPanelLive(router);
  mountPanelStyles(router, admin.options.rootPath);
  mountPanelLogin(router, admin);
  router.use(invitationRouter(admin.options.loginPath));
  router.use(requirePanelUser(admin));
  router.use('/api/export', exportRouter(admin));
  router.use(panelApiRoutesExist(admin), panelApiStatus, panelBodyLimit, panelBody);
  buildRouter(admin, router, PANEL_FORM_OPTIONS);
  router.use(panelApiErrors);
  app.use(admin.options.rootPath, router);
  return admin;
}
