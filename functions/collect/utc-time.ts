// event_ts is stored in UTC as Date#toISOString writes it. Trackers already send that form, and
// parsing and formatting a date costs more than checking the whole event: a time in that form,
// already checked by the contract's date-time pattern, is kept as it is, since converting it
// would give the same string.
const CANONICAL_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** A valid ISO-8601 date-time with a zone, as the UTC instant Date#toISOString writes. */
export function toUtcIso(validDateTime: string): string {
  return CANONICAL_UTC.test(validDateTime) ? validDateTime : new Date(validDateTime).toISOString();
}
