import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type RequestHandler } from 'express';
import { PORTAL_PAGES } from '../../portal/src/pages-list.js';
import { fromRoot } from '../shared/project-root.js';

/** Where `npm run build` puts the portal (scripts/build.ts → vite build). */
export const PORTAL_DIST = fromRoot('dist/portal');

const YEAR_SECONDS = 365 * 24 * 3600;

/**
 * Serves the built portal. Vite names files under /assets by content hash,
 * so they are cached for a year and never revalidated; index.html is always
 * revalidated so a deploy shows at once. A browser navigating to one of the
 * portal's pages gets index.html and the portal's router shows the page; any
 * other path is an unknown route (SPEC §8): 404, with index.html for a
 * browser so the portal's own "not found" page shows, else the JSON envelope.
 */
export function portalStatic(dir = PORTAL_DIST): RequestHandler {
  const router = Router();
  const index = path.join(dir, 'index.html');
  router.use(
    '/assets',
    express.static(path.join(dir, 'assets'), { immutable: true, maxAge: YEAR_SECONDS * 1000, index: false, fallthrough: true }),
  );
  router.use(express.static(dir, { index: false, maxAge: 0 }));
  router.get(/.*/, (req, res, next) => {
    if (/^\/(api|admin|assets)(\/|$)/.test(req.path) || path.extname(req.path)) return next();
    if (!req.accepts('html') || !fs.existsSync(index)) return next();
    const page = req.path.replace(/\/+$/, '') || '/';
    res.setHeader('Cache-Control', 'no-cache');
    res.status(PORTAL_PAGES.includes(page) ? 200 : 404).sendFile(index);
  });
  return router;
}
