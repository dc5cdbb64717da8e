/**
 * dist/server/main.js: starts the web server's bundle (web.cjs, one file with
 * its packages inside) with V8's code cache, so that a start deserialises the
 * compiled code of the previous one instead of parsing and compiling 5 MB of
 * JavaScript (about 0.5 s of CPU of 1.2 s; BENCHMARKS.md, "Server start").
 *
 * Node 22 does this by itself (module.enableCompileCache). Node 20 has no
 * cache for modules, so the bundle is compiled here as a vm.Script, with the
 * cache of the first start after a build, written beside the bundle once the
 * server listens. V8 refuses a cache of another V8 or other flags, and the
 * file's name carries the bundle's hash (V8 itself compares only the
 * source's length): a stale cache is never used. Where dist/ is read-only
 * the server starts without it.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { WEB_LISTENING } from './ready.js';

/** The web bundle's content hash, set by scripts/build.ts. */
declare const WEB_BUNDLE_HASH: string;

const dir = path.dirname(fileURLToPath(import.meta.url));

function runWithCodeCache(file: string, cacheFile: string): void {
  const source = fs.readFileSync(file, 'utf8');
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // The first start after a build.
  }
  if (process.sourceMapsEnabled) registerSourceMap(file);
  // The wrapper require() puts around a CommonJS file, on a line of its own so the lines stay the bundle's.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {\n${source}\n})`, {
    filename: file,
    lineOffset: -1,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (!cachedData || script.cachedDataRejected) {
    // After the start, so the cache holds the functions the start compiled too.
    process.once(WEB_LISTENING, () => setImmediate(() => saveCodeCache(script, cacheFile)));
  }
  const module = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dir);
}

function saveCodeCache(script: vm.Script, cacheFile: string): void {
  const partial = `${cacheFile}.${process.pid}`;
  try {
    fs.writeFileSync(partial, script.createCachedData());
    // Another instance starting now reads the whole file or none.
    fs.renameSync(partial, cacheFile);
  } catch {
    fs.rmSync(partial, { force: true });
  }
}

/**
 * --enable-source-maps maps stack traces through the source maps of the
 * modules Node compiled itself, not of a vm.Script. Compiling an empty module
 * under the bundle's name registers the bundle's map for that name.
 */
const sourceMapHolders: unknown[] = [];
function registerSourceMap(file: string): void {
  const holder = new Module(file) as Module & { _compile(content: string, filename: string): void };
  holder._compile(`//# sourceMappingURL=${path.basename(file)}.map`, file);
  // Node forgets the map when the module is collected.
  sourceMapHolders.push(holder);
}

const file = path.join(dir, 'web.cjs');
const enableCompileCache = (Module as unknown as { enableCompileCache?: () => unknown }).enableCompileCache;
if (enableCompileCache) {
  enableCompileCache();
  createRequire(import.meta.url)(file);
} else {
  // V8 refuses a cache made under other flags: one file per command line, or
  // two instances started differently would keep replacing each other's.
  const flags = createHash('sha256').update(`${process.version} ${process.execArgv.join(' ')}`).digest('hex').slice(0, 8);
  runWithCodeCache(file, path.join(dir, `web.${WEB_BUNDLE_HASH}.${flags}.cache`));
}
