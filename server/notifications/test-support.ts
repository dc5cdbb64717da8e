/** Kept for importers of the old path; the helpers live in test/notifications-support.ts. */
export * from '../../test/notifications-support.js';
