// The records feature's public surface: journal entries and prescriptions.
export * from './journal.js';
export * from './prescriptions.js';
export type { PersonRef } from './shared.js';
