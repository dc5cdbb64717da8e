/**
 * What the web server's one-file bundle needs beyond esbuild's defaults
 * (scripts/build.ts). Starting from one file instead of the thousands of
 * files under node_modules that AdminJS, TypeORM and Express pull in, and
 * without AdminJS's bundler and browser side, cut the start from about 6 s of
 * CPU to about 1 s (0.6 s with the code cache; BENCHMARKS.md, "Server start").
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'esbuild';

const ADMINJS_LIB = /[\\/]node_modules[\\/]adminjs[\\/]lib[\\/]/;

/**
 * AdminJS modules the prebuilt server never runs, replaced at bundling time:
 * - its component bundler (rollup, babel and their presets, a third of
 *   everything AdminJS imports): the components are bundled by `npm run
 *   build`, so the stand-in serves that file and never bundles;
 * - its browser side (`export * from './frontend/index.js'`: React, the
 *   design system, the rich-text editor), which the server only re-exports;
 * - the design system's index, of which the server uses two small modules.
 * A server-side import of anything left out fails the build ("No matching
 * export"), not the running server.
 */
export function adminJsServerOnly(): Plugin {
  return {
    name: 'adminjs-server-only',
    setup(build) {
      build.onResolve({ filter: /components\.bundler\.js$/ }, (args) =>
        ADMINJS_LIB.test(args.importer) ? { path: path.join(args.resolveDir, args.path), namespace: 'prebuilt-components-bundler' } : undefined);
      build.onLoad({ filter: /.*/, namespace: 'prebuilt-components-bundler' }, (args) => ({
        resolveDir: path.dirname(args.path),
        loader: 'js',
        contents: `
          import fs from 'node:fs/promises';
          import { COMPONENTS_OUTPUT_PATH } from './utils/constants.js';
          const missing = () => new Error('The panel component bundle ' + COMPONENTS_OUTPUT_PATH + ' is missing: run npm run build (the prebuilt server serves it, it does not bundle).');
          const read = () => fs.readFile(COMPONENTS_OUTPUT_PATH, 'utf8').catch(() => { throw missing(); });
          export default {
            async createEntry() {},
            async build() { await read(); },
            async watch() {},
            getOutput: read,
          };`,
      }));

      build.onResolve({ filter: /^\.\/frontend\/index\.js$/ }, (args) =>
        ADMINJS_LIB.test(args.importer) ? { path: 'adminjs-frontend', namespace: 'server-only-empty' } : undefined);
      build.onLoad({ filter: /.*/, namespace: 'server-only-empty' }, () => ({ contents: 'export {};', loader: 'js' }));

      build.onResolve({ filter: /^@adminjs\/design-system$/ }, async (args) => {
        if (!ADMINJS_LIB.test(args.importer)) return undefined;
        const index = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir });
        if (index.errors.length) return { errors: index.errors };
        return { path: index.path, namespace: 'design-system-server-part' };
      });
      build.onLoad({ filter: /.*/, namespace: 'design-system-server-part' }, (args) => ({
        resolveDir: path.dirname(args.path),
        loader: 'js',
        contents: `
          export { combineStyles } from './utils/combine-styles.js';
          export { DEFAULT_DRAWER_WIDTH } from './constants.js';`,
      }));
    },
  };
}

/**
 * Bundled packages still find their own files (AdminJS's scripts and fonts,
 * Swagger UI's assets, templates, package.json): `import.meta.url` and
 * `__dirname`/`__filename` name where the module lies in node_modules, not
 * the bundle. Paths are relative to the bundle, so the checkout (or the
 * image's /app) can move as a whole.
 */
export function packagesKeepTheirPaths(root: string): Plugin {
  return {
    name: 'packages-keep-their-paths',
    setup(build) {
      build.onLoad({ filter: /[\\/]node_modules[\\/].*\.(c|m)?js$/ }, async (args) => {
        const text = await fs.promises.readFile(args.path, 'utf8');
        const usesUrl = text.includes('import.meta.url');
        const usesDirname = /\b__(dirname|filename)\b/.test(text) && !/^(import|export)\b/m.test(text);
        if (!usesUrl && !usesDirname) return undefined;
        const url = `__qhealthPackageUrl(${JSON.stringify(path.relative(root, args.path).split(path.sep).join('/'))})`;
        let contents = usesUrl ? text.replaceAll('import.meta.url', url) : text;
        if (usesDirname) contents = `var __filename = __qhealthFileUrlToPath(${url}), __dirname = __qhealthDirname(__filename);\n${contents}`;
        return { contents, loader: 'js', resolveDir: path.dirname(args.path) };
      });
    },
  };
}

/**
 * The bundle's first lines: where it lies (`import.meta.url` of our own
 * modules, which esbuild leaves empty in CommonJS) and the helpers of
 * packagesKeepTheirPaths.
 */
export function bundleBanner(outdir: string, root: string): string {
  const up = path.relative(outdir, root).split(path.sep).join('/');
  return [
    "var __qhealthBundleUrl = require('node:url').pathToFileURL(__filename).href;",
    "var __qhealthFileUrlToPath = require('node:url').fileURLToPath;",
    "var __qhealthDirname = require('node:path').dirname;",
    `var __qhealthRoot = new URL(${JSON.stringify(`${up}/`)}, __qhealthBundleUrl);`,
    'var __qhealthPackageUrl = (file) => new URL(file, __qhealthRoot).href;',
  ].join('\n');
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

function decodeVlq(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const c of segment) {
    const digit = B64_INDEX.get(c);
    if (digit === undefined) throw new Error(`bad source map character ${c}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

function encodeVlq(values: number[]): string {
  let out = '';
  for (const v of values) {
    let rest = v < 0 ? (-v << 1) | 1 : v << 1;
    do {
      let digit = rest & 31;
      rest >>>= 5;
      if (rest) digit |= 32;
      out += B64[digit];
    } while (rest);
  }
  return out;
}

interface SourceMapV3 { version: 3; sources: string[]; sourcesContent?: (string | null)[]; names: string[]; mappings: string; [k: string]: unknown }

/**
 * Keeps the source map's mappings for our own code only. With every package
 * in it the map is about 15 MB, and `--enable-source-maps` (npm run
 * start:web, the image) parses it at start: close to a second of CPU. A stack
 * frame inside a package then names the bundle's line, under esbuild's
 * `// node_modules/<package>/<file>` comment.
 */
export function keepOwnMappings(mapFile: string, keep: (source: string) => boolean): void {
  const map = JSON.parse(fs.readFileSync(mapFile, 'utf8')) as SourceMapV3;
  const sourceIndex = new Map<number, number>();
  const sources: string[] = [];
  const sourcesContent: (string | null)[] = [];
  map.sources.forEach((s, i) => {
    if (!keep(s)) return;
    sourceIndex.set(i, sources.length);
    sources.push(s);
    sourcesContent.push(map.sourcesContent?.[i] ?? null);
  });
  const nameIndex = new Map<number, number>();
  const names: string[] = [];
  // Absolute values carried across the whole mapping (old and new numbering).
  const old = { source: 0, line: 0, column: 0, name: 0 };
  const now = { source: 0, line: 0, column: 0, name: 0 };
  // A lookup takes the nearest mapping before it, even lines up: where a
  // package's code starts, an unmapped segment ends the mapping before it.
  let mapped = false;
  const lines = map.mappings.split(';').map((line) => {
    let oldColumn = 0;
    let newColumn = 0;
    const kept: string[] = [];
    for (const segment of line ? line.split(',') : []) {
      const f = decodeVlq(segment);
      oldColumn += f[0];
      let source: number | undefined;
      if (f.length >= 4) {
        old.source += f[1];
        old.line += f[2];
        old.column += f[3];
        if (f.length > 4) old.name += f[4];
        source = sourceIndex.get(old.source);
      }
      if (source === undefined) {
        if (mapped) kept.push(encodeVlq([oldColumn - newColumn]));
        newColumn = mapped ? oldColumn : newColumn;
        mapped = false;
        continue;
      }
      mapped = true;
      const fields = [oldColumn - newColumn, source - now.source, old.line - now.line, old.column - now.column];
      newColumn = oldColumn;
      now.source = source;
      now.line = old.line;
      now.column = old.column;
      if (f.length > 4) {
        let name = nameIndex.get(old.name);
        if (name === undefined) {
          name = names.length;
          nameIndex.set(old.name, name);
          names.push(map.names[old.name]);
        }
        fields.push(name - now.name);
        now.name = name;
      }
      kept.push(encodeVlq(fields));
    }
    return kept.join(',');
  });
  fs.writeFileSync(mapFile, JSON.stringify({ ...map, sources, sourcesContent, names, mappings: lines.join(';') }));
}
