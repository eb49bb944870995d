// Whole numbers typed by a user, in a flag or an environment variable. Number() alone takes "" as 0,
// "0x50" as 80 and "1e3" as 1000, so a typo or an unset variable would pick a value silently.

/** `value` when it is decimal digits alone and lies from `min` to `max`; otherwise undefined. */
export function wholeNumber(value: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (!/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
}

/** The accepted form, for an error message: "a whole number ≥ 1" or "a whole number from 0 to 65535". */
export function wholeNumberForm(min: number, max?: number): string {
  return max === undefined ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`;
}
