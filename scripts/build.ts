/**
 * `npm run build`: everything production needs ahead of time — the portal
 * (Vite), the panel's component bundle (AdminJS) and the server itself
 * (esbuild), so that a production start compiles nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { build } from 'esbuild';
import { buildPortal } from './build-portal.js';
import { adminBundleDir } from '../server/config.js';
import { adminJsServerOnly, bundleBanner, keepOwnMappings, packagesKeepTheirPaths } from './server-bundle.js';

/** Packages with compiled addons: loaded from node_modules, never bundled. */
const NATIVE_PACKAGES = ['better-sqlite3', '@node-rs/argon2'];
/** Our source folders: the only ones the web bundle's source map keeps. */
const OUR_SOURCES = ['server', 'admin', 'migrations'];

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
 * The web and worker entries, transpiling nothing at start (tsx took seconds
 * per start on a loaded machine). The web server is one CommonJS file with
 * its packages inside (see scripts/server-bundle.ts), web.cjs: Node reads and
 * compiles one file instead of thousands. dist/server/main.js starts it with
 * V8's code cache (server/entry/load-web.ts). Native addons stay in
 * node_modules. The worker's start is not waited on, so it stays an ES module
 * that leaves its packages (PGlite's wasm, pg-boss) where they are.
 * Decorators compile as under tsx.
 */
async function buildServer(): Promise<void> {
  const started = Date.now();
  const outdir = 'dist/server';
  // Also drops the code cache of the previous bundle.
  fs.rmSync(outdir, { recursive: true, force: true });
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    tsconfig: 'tsconfig.json',
    sourcemap: true,
    logLevel: 'warning',
  } as const;
  const root = process.cwd();
  await Promise.all([
    build({
      ...common,
      entryPoints: { web: 'server/entry/web.ts' },
      outdir,
      outExtension: { '.js': '.cjs' },
      // CommonJS: Node 20 caches compiled code for scripts only, not for ES modules.
      format: 'cjs',
      external: NATIVE_PACKAGES,
      // @adminjs/express checks `admin.constructor.name === 'AdminJS'`; TypeORM names entities by class.
      keepNames: true,
      // A tenth less CPU at start: fewer bytes to parse, and few lines for
      // --enable-source-maps to measure. Names stay; our code keeps its map.
      minifyWhitespace: true,
      minifySyntax: true,
      define: { 'import.meta.url': '__qhealthBundleUrl' },
      banner: { js: bundleBanner(outdir, root) },
      plugins: [adminJsServerOnly(), packagesKeepTheirPaths(root)],
      // Packages' optional and runtime-chosen `require(name)` calls stay dynamic, as in node_modules.
      logOverride: { 'require-resolve-not-external': 'silent', 'unsupported-require-call': 'silent', 'unsupported-dynamic-import': 'silent' },
    }),
    build({ ...common, format: 'esm', entryPoints: { worker: 'server/worker.ts' }, outdir, packages: 'external' }),
  ]);
  const ours = OUR_SOURCES.map((dir) => path.join(root, dir) + path.sep);
  keepOwnMappings(`${outdir}/web.cjs.map`, (source) => ours.some((dir) => path.resolve(outdir, source).startsWith(dir)));
  const hash = createHash('sha256').update(fs.readFileSync(`${outdir}/web.cjs`)).digest('hex').slice(0, 16);
  await build({
    ...common,
    format: 'esm',
    entryPoints: { main: 'server/entry/load-web.ts' },
    outdir,
    define: { WEB_BUNDLE_HASH: JSON.stringify(hash) },
  });
  console.log(`server: ${outdir}/main.js (web.cjs) and worker.js in ${Date.now() - started} ms`);
}
