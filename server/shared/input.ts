import { z } from 'zod';

/**
 * Small input rules every feature's schemas share: what counts as a record id
 * and what counts as text. Leaf module: imports nothing of ours.
 */

/** A record id's digits as a form field or a path segment carries them; more than 16 digits is past any safe integer. */
const ID_DIGITS = /^\d{1,16}$/;

/**
 * A record id: a whole number from 1, sent as a JSON number or as its digits
 * (a form field, a path segment). Not z.coerce: that takes `[5]`, `true`,
 * `"0x5"` and `" 5 "` as ids, so an array where one id goes would be read as
 * an id instead of being refused.
 */
export function wholeId(message: string) {
  return z.preprocess(
    (value) => (typeof value === 'string' && ID_DIGITS.test(value) ? Number(value) : value),
    z
      .number({ error: (issue) => (issue.input === undefined ? 'Required.' : message) })
      .int(message)
      .positive(message)
      .max(Number.MAX_SAFE_INTEGER, message),
  );
}

/** An unpaired UTF-16 surrogate: JSON may carry one ("\ud800"), but it is no character and no database keeps it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const NOT_TEXT = 'Contains characters that are not valid text.';

export function isWellFormedText(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

/**
 * The paths (as the error envelope names fields: "a.b.0") of every string in
 * `value` that is not well-formed text. For a parsed JSON body or query.
 */
export function illFormedTextPaths(value: unknown, path: (string | number)[] = [], found: string[] = []): string[] {
  if (typeof value === 'string') {
    if (!isWellFormedText(value)) found.push(path.length ? path.join('.') : '_');
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => illFormedTextPaths(item, [...path, i], found));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      // A key can be ill-formed too; it is named by what it is, since it cannot be shown.
      if (!isWellFormedText(key)) found.push([...path, '(field name)'].join('.'));
      illFormedTextPaths(item, [...path, key], found);
    }
  }
  return found;
}
