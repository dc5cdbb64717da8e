/**
 * The one clock. Rules that depend on "now" ask it; tests set it.
 */
let fixed: Date | null = null;
let offsetMs = 0;

export const clock = {
  now(): Date {
    return fixed ? new Date(fixed.getTime()) : new Date(Date.now() + offsetMs);
  },
  /** Tests: freeze time at `at`. */
  set(at: Date | string): void {
    fixed = new Date(at);
  },
  /** Tests: let time run again, shifted so that it starts at `at` (or real time). */
  reset(at?: Date | string): void {
    fixed = null;
    offsetMs = at ? new Date(at).getTime() - Date.now() : 0;
  },
};
