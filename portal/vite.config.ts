import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * The patient portal. `vite build` writes hashed assets to dist/portal, which
 * server/http/portal-static.ts serves; `vite` (dev) proxies /api to the web
 * process on :3000.
 */
export default defineConfig({
  root: here,
  plugins: [preact()],
  build: {
    outDir: fileURLToPath(new URL('../dist/portal', import.meta.url)),
    emptyOutDir: true,
    target: 'es2020',
    // One small bundle: no preloading helper, no sourcemaps shipped to patients.
    modulePreload: false,
    sourcemap: false,
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
});
