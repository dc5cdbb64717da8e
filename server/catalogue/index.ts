import { auditsRefusals } from '../shared/refusals.js';
import * as diagnostics from './diagnostics.js';

export * from './schemas.js';
export * from './diagnostics.js';
// The changes as the panel calls them: a refused one leaves its row in the audit log.
export const createDiagnostic = auditsRefusals('diagnostic', 'diagnostic.create', diagnostics.createDiagnostic);
export const updateDiagnostic = auditsRefusals('diagnostic', 'diagnostic.update', diagnostics.updateDiagnostic);
export const setDiagnosticActive = auditsRefusals(
  'diagnostic', (_id, isActive) => (isActive ? 'diagnostic.activate' : 'diagnostic.deactivate'), diagnostics.setDiagnosticActive,
);
export const removeDiagnostic = auditsRefusals('diagnostic', 'diagnostic.delete', diagnostics.removeDiagnostic);
