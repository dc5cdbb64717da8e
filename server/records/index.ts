// The records feature's public surface: journal entries and prescriptions.
import { auditsRefusals } from '../shared/refusals.js';
import * as journal from './journal.js';
import * as prescriptions from './prescriptions.js';

export * from './journal.js';
export * from './prescriptions.js';
export type { PersonRef } from './shared.js';
// The changes as the panel calls them: a refused one leaves its row in the audit log.
export const addJournalEntry = auditsRefusals('journalEntry', (input) => (input.correctsId ? 'correct' : 'create'), journal.addJournalEntry);
export const addPrescription = auditsRefusals('prescription', 'create', prescriptions.addPrescription);
