/**
 * Entry of the prebuilt web bundle (dist/server/main.js). AdminJS reads
 * ADMIN_JS_TMP_DIR and ADMIN_JS_SKIP_BUNDLE when it is first imported, and a
 * bundle hoists every package import above its own code; so the environment
 * is set here first and the server is loaded after, as a separate chunk.
 */
import { exportAdminJsEnvironment } from '../config.js';

exportAdminJsEnvironment();
await import('../main.js');
