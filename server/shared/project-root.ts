import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The checkout's root folder, found from this module wherever it runs: from
 * source under tsx, or from the prebuilt bundle in dist/server/. Files the
 * server serves (the built portal, panel scripts and components) are named
 * from here, not relative to the importing module.
 */
function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

export const PROJECT_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));

export function fromRoot(...parts: string[]): string {
  return path.join(PROJECT_ROOT, ...parts);
}
