// The values `ownstats query` prints. JavaScript's own conversions lose what an analyst looks at: a
// DATE becomes a midnight timestamp, a TIME a count of microseconds, a TIMESTAMP its microseconds, a
// wide DECIMAL its last digits, and an infinite timestamp fails the whole query. Those print as DuckDB
// writes them; times stay UTC ISO strings, to the microsecond.
import {
  DuckDBArrayValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBValue,
} from "@duckdb/node-api";
import { type Plain, toPlain } from "./warehouse.ts";

export function queryValue(value: DuckDBValue): Plain {
  if (value === null || typeof value !== "object") return toPlain(value);
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue)
    return value.items.map(queryValue);
  if (value instanceof DuckDBStructValue)
    return Object.fromEntries(Object.entries(value.entries).map(([k, v]) => [k, queryValue(v)]));
  if (value instanceof DuckDBMapValue)
    return value.entries.map((e) => ({ key: queryValue(e.key), value: queryValue(e.value) }));
  if (value instanceof DuckDBTimestampValue || value instanceof DuckDBTimestampTZValue)
    return isoOrText(value.micros, value);
  if (value instanceof DuckDBTimestampMillisecondsValue) return isoOrText(value.millis * 1000n, value);
  if (value instanceof DuckDBTimestampSecondsValue) return isoOrText(value.seconds * 1_000_000n, value);
  // Up to 15 digits a double holds the decimal exactly, and JSON keeps it a number.
  if (value instanceof DuckDBDecimalValue)
    return value.value > -(10n ** 15n) && value.value < 10n ** 15n ? value.toDouble() : String(value);
  return String(value);
}

/** `2026-03-01T10:00:00.123456Z`, or DuckDB's text where a JS date cannot go (infinity). */
function isoOrText(micros: bigint, value: DuckDBValue): string {
  let ms = micros / 1000n;
  let rest = micros % 1000n;
  if (rest < 0n) {
    ms -= 1n;
    rest += 1000n;
  }
  const date = new Date(Number(ms));
  if (Number.isNaN(date.getTime())) return String(value);
  const iso = date.toISOString();
  return rest === 0n ? iso : `${iso.slice(0, -1)}${String(rest).padStart(3, "0")}Z`;
}
