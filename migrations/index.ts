// Every migration, in order. A new one is generated with `npm run migration:generate`
// and added here (imported classes load the same under tsx, vitest and the CLI).
import { Initial1795906738172 } from './1795906738172-Initial.js';
import { AppendOnlyTriggers1795906738173 } from './1795906738173-AppendOnlyTriggers.js';
import { AppointmentKindIndex1795909422020 } from './1795909422020-AppointmentKindIndex.js';
import { PatientListIndex1795910455199 } from './1795910455199-PatientListIndex.js';
import { DiagnosticNameKeyBinary1795918159241 } from './1795918159241-DiagnosticNameKeyBinary.js';
import { PanelListIndexes1795920941583 } from './1795920941583-PanelListIndexes.js';
import { NotificationSkipped1795926829592 } from './1795926829592-NotificationSkipped.js';
import { UserRoleEmailIndex1795927110430 } from './1795927110430-UserRoleEmailIndex.js';

export const MIGRATIONS = [
  Initial1795906738172, AppendOnlyTriggers1795906738173, AppointmentKindIndex1795909422020, PatientListIndex1795910455199, DiagnosticNameKeyBinary1795918159241,
  PanelListIndexes1795920941583, NotificationSkipped1795926829592, UserRoleEmailIndex1795927110430,
];
