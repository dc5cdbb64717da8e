import { z } from 'zod';
import { isWellFormedText, NOT_TEXT } from '../shared/input.js';
import { pageQuery, sortParam } from '../shared/pagination.js';

/** Control characters are junk in a one-line field; a text may keep its tabs and line breaks. */
// eslint-disable-next-line no-control-regex
const ONE_LINE = /^[^\u0000-\u001f\u007f]*$/;
// eslint-disable-next-line no-control-regex
const TEXT = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;

/**
 * Request shapes for the diagnostics catalogue. The panel and the portal parse
 * with these; the services parse again, so a caller that skips the edge still
 * cannot write a bad row.
 */
const name = z.string().trim().min(1, 'Give the diagnostic a name.').max(120, 'At most 120 characters.').regex(ONE_LINE, 'Remove control characters.')
  .refine(isWellFormedText, NOT_TEXT);
const description = z.string().trim().max(5000, 'At most 5000 characters.').regex(TEXT, 'Remove control characters.').refine(isWellFormedText, NOT_TEXT).nullish()
  .transform((v) => (v ? v : null));
/** Bookings sit on a 15-minute grid; a duration in 5-minute steps keeps the catalogue readable. */
const durationMinutes = z.coerce.number().int('Whole minutes.').min(5, 'At least 5 minutes.')
  .max(480, 'At most 480 minutes (8 hours).').multipleOf(5, 'Use steps of 5 minutes.');

export const diagnosticInput = z.object({
  name,
  description,
  durationMinutes: durationMinutes.default(30),
  isActive: z.boolean().default(true),
}).strict();
export type DiagnosticInput = z.input<typeof diagnosticInput>;

export const diagnosticPatch = z.object({
  name: name.optional(),
  // Absent means "leave as is"; null or "" clears it.
  description: z.string().trim().max(5000, 'At most 5000 characters.').regex(TEXT, 'Remove control characters.').refine(isWellFormedText, NOT_TEXT).nullable().optional()
    .transform((v) => (v === undefined ? undefined : v || null)),
  durationMinutes: durationMinutes.optional(),
  isActive: z.boolean().optional(),
}).strict();
export type DiagnosticPatch = z.input<typeof diagnosticPatch>;

export const DIAGNOSTIC_SORT_KEYS = ['name', 'durationMinutes', 'createdAt'] as const;

const booleanish = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

export const diagnosticListQuery = pageQuery.extend({
  q: z.string().trim().max(120).optional(),
  active: booleanish.optional(),
  sort: sortParam(DIAGNOSTIC_SORT_KEYS, 'name'),
});
export type DiagnosticListQuery = z.input<typeof diagnosticListQuery>;
