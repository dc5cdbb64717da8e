/**
 * Builds the panel's component bundle ahead of time (run by scripts/build.ts
 * with NODE_ENV=production, ADMIN_JS_TMP_DIR and ADMIN_JS_SKIP_BUNDLE=false
 * in its environment). The server then starts with ADMIN_JS_SKIP_BUNDLE=true
 * and serves the file as it is: no bundling at start-up.
 */
import AdminJS from 'adminjs';
import { componentLoader } from './components.js';

const admin = new AdminJS({ rootPath: '/admin', componentLoader, resources: [] });
await admin.initialize();
