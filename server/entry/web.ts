/**
 * Entry of the web server's bundle (dist/server/web.cjs, loaded by
 * dist/server/main.js: see load-web.ts). AdminJS reads ADMIN_JS_TMP_DIR and
 * ADMIN_JS_SKIP_BUNDLE when it is first imported, and a bundle hoists every
 * package import above its own code; so the environment is set here first and
 * the server is loaded after, behind a dynamic import (evaluated lazily).
 */
import { exportAdminJsEnvironment } from '../config.js';

exportAdminJsEnvironment();
import('../main.js').catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
