/**
 * `npm run build`: everything production needs ahead of time.
 * Steps are added by the portal (Vite) and panel (AdminJS bundle) work.
 */
import fs from 'node:fs';
import { buildPortal } from './build-portal.js';

fs.mkdirSync('dist', { recursive: true });
await buildPortal();
fs.writeFileSync('dist/.build-complete', new Date().toISOString());
