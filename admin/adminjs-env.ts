import { exportAdminJsEnvironment } from '../server/config.js';

// Imported first by the panel's entry points: AdminJS reads these variables
// while it is being imported.
exportAdminJsEnvironment();
