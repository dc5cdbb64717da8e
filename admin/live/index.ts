import type { Router } from 'express';
import { panelEventsHandler } from '../../server/live/routes.js';
import { fromRoot } from '../../server/shared/project-root.js';

/** Where the panel's live script is served; put it in AdminJS `assets.scripts`. */
export const PANEL_LIVE_SCRIPT_URL = '/admin/live/panel-live.js';

const SCRIPT_FILE = fromRoot('admin/live/panel-live.js');

/**
 * Mounts the panel's event stream (`GET /admin/api/events`) and its browser
 * script on the panel's router (mounted at /admin). Call it right after the
 * session middleware, before the login pages and the signed-in guard: the
 * script is a public file (the login page loads it too, and it stays idle
 * there), and the stream answers 401/403 as JSON itself, which an
 * EventSource handles better than a redirect to the login page:
 *
 *   router.use(session);
 *   mountPanelLive(router);
 *   mountPanelLogin(router, admin);
 *   …
 *
 * and give AdminJS `assets: { scripts: [PANEL_LIVE_SCRIPT_URL] }`.
 */
export function mountPanelLive(router: Router): void {
  router.get('/api/events', panelEventsHandler());
  router.get('/live/panel-live.js', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('application/javascript').sendFile(SCRIPT_FILE);
  });
}
