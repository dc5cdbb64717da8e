import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { build } from 'vite';

/** Issue 3: the portal's JS + CSS, gzipped, stays under 30 kB. */
export const PORTAL_BUDGET_BYTES = 30_000;
const OUT = 'dist/portal';

/** Builds the portal with Vite into dist/portal and enforces the size budget. */
export async function buildPortal(): Promise<void> {
  await build({ configFile: path.resolve('portal/vite.config.ts'), logLevel: 'warn' });
  const assets = fs.readdirSync(path.join(OUT, 'assets')).filter((f) => /\.(js|css)$/.test(f));
  let gzipped = 0;
  for (const f of assets) gzipped += zlib.gzipSync(fs.readFileSync(path.join(OUT, 'assets', f)), { level: 9 }).length;
  const kb = (gzipped / 1000).toFixed(1);
  console.log(`portal: ${assets.length} files (JS + CSS), ${kb} kB gzipped (budget ${PORTAL_BUDGET_BYTES / 1000} kB)`);
  if (gzipped >= PORTAL_BUDGET_BYTES) {
    throw new Error(`The portal bundle is ${kb} kB gzipped, over the ${PORTAL_BUDGET_BYTES / 1000} kB budget.`);
  }
}
