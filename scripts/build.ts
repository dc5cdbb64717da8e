/**
 * `npm run build`: everything production needs ahead of time — the portal
 * (Vite), the panel's component bundle (AdminJS) and the server itself
 * (esbuild), so that a production start compiles nothing.
 */
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { buildPortal } from './build-portal.js';
import { adminBundleDir } from '../server/config.js';

fs.mkdirSync('dist', { recursive: true });
if (process.argv.includes('--server-only')) {
  // `npm start` on an existing build: the server bundle is cheap, so it is
  // always rebuilt from the current source.
  await buildServer();
} else {
  await buildPortal();
  buildPanelBundle();
  await buildServer();
  fs.writeFileSync('dist/.build-complete', new Date().toISOString());
}

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

/**
 * The web and worker entries as two ESM files with our code compiled in and
 * packages left to node_modules: starting them transpiles nothing (tsx took
 * seconds per start on a loaded machine). Decorators compile as under tsx.
 */
async function buildServer(): Promise<void> {
  const started = Date.now();
  await build({
    entryPoints: { main: 'server/entry/web.ts', worker: 'server/worker.ts' },
    outdir: 'dist/server',
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    tsconfig: 'tsconfig.json',
    sourcemap: true,
    logLevel: 'warning',
  });
  console.log(`server: dist/server/main.js and worker.js in ${Date.now() - started} ms`);
}
