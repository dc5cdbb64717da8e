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

/** A place in a parsed body: its key and the place that holds it. */
interface Place {
  value: unknown;
  key: string | number | null;
  parent: Place | null;
}

function pathOf(place: Place): string {
  const keys: (string | number)[] = [];
  for (let p: Place | null = place; p && p.key !== null; p = p.parent) keys.unshift(p.key);
  return keys.length ? keys.join('.') : '_';
}

/**
 * The paths (as the error envelope names fields: "a.b.0") of every string in
 * `value` that is not well-formed text. For a parsed JSON body or query.
 * Walked with a stack of places, not recursion or copied paths: a 100 kB
 * body can nest 50,000 arrays deep. Stops after `limit` findings.
 */
export function illFormedTextPaths(value: unknown, limit = 20): string[] {
  const found: string[] = [];
  const stack: Place[] = [{ value, key: null, parent: null }];
  for (let place = stack.pop(); place && found.length < limit; place = stack.pop()) {
    const item = place.value;
    if (typeof item === 'string') {
      if (!isWellFormedText(item)) found.push(pathOf(place));
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) stack.push({ value: item[i], key: i, parent: place });
    } else if (item && typeof item === 'object') {
      for (const [key, element] of Object.entries(item).reverse()) {
        // A key can be ill-formed too; it is named by what it is, since it cannot be shown.
        if (!isWellFormedText(key)) found.push(pathOf({ value: element, key: '(field name)', parent: place }));
        stack.push({ value: element, key, parent: place });
      }
    }
  }
  return found;
}
