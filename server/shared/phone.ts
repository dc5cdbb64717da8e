/**
 * E.164 from what people type: spaces, dashes, dots and brackets go ("+46 70-123 45 67"
 * → "+46701234567"), the international prefix 00 is the "+", and the national trunk
 * "(0)" written after the country code ("+44 (0)20 …") is not part of the number.
 * A leaf module: the server's schemas and the portal's form read a number the same way.
 */
export function normalizePhone(typed: string): string {
  return typed
    .trim()
    .replace(/^00(?=[\s\-.]*[1-9])/, '+')
    .replace(/^(\+[\s\-.]*\d{1,3})[\s\-.]*\(0\)/, '$1')
    .replace(/[\s\-().]/g, '');
}
