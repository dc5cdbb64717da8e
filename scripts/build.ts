/**
 * `npm run build`: everything production needs ahead of time.
 * Steps are added by the portal (Vite) and panel (AdminJS bundle) work.
 */
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { buildPortal } from './build-portal.js';
import { adminBundleDir } from '../server/config.js';

fs.mkdirSync('dist', { recursive: true });
await buildPortal();
buildPanelBundle();
fs.writeFileSync('dist/.build-complete', new Date().toISOString());

/** The panel's React components, bundled once here instead of at every server start. */
function buildPanelBundle(): void {
  const dir = adminBundleDir();
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'admin/build-bundle.ts'], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production', ADMIN_JS_TMP_DIR: dir, ADMIN_JS_SKIP_BUNDLE: 'false' },
  });
  if (result.status !== 0 || !fs.existsSync(`${dir}/bundle.js`)) throw new Error('panel bundle failed');
  console.log(`panel bundle: ${dir}/bundle.js in ${Date.now() - started} ms`);
}
