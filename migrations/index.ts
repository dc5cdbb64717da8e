// Every migration, in order. A new one is generated with `npm run migration:generate`
// and added here (imported classes load the same under tsx, vitest and the CLI).
import { Initial1795906738172 } from './1795906738172-Initial.js';
import { AppendOnlyTriggers1795906738173 } from './1795906738173-AppendOnlyTriggers.js';

export const MIGRATIONS = [Initial1795906738172, AppendOnlyTriggers1795906738173];
