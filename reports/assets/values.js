// Query results as text: each Arrow value as DuckDB itself writes it, and as a CSV field.
// Arrow type ids (apache-arrow's Type enum) of the values that need more than String().
const arrowType = {
  binary: 4,
  utf8: 5,
  decimal: 7,
  date: 8,
  time: 9,
  timestamp: 10,
  interval: 11,
  largeBinary: 19,
};
const monthDayNano = 2;

/** An integer string with `scale` digits after the point: DECIMAL, and HUGEINT (what sum() of integers gives). */
function decimalText(unscaled, scale) {
  const digits = String(unscaled);
  if (!scale) return digits;
  const sign = digits.startsWith("-") ? "-" : "";
  const whole = digits.slice(sign.length).padStart(scale + 1, "0");
  return `${sign}${whole.slice(0, -scale)}.${whole.slice(-scale)}`;
}

/** Milliseconds since the epoch (with a fraction for microseconds) as DuckDB writes a timestamp. */
function timestampText(ms, zoned) {
  let whole = Math.floor(ms);
  let micros = Math.round((ms - whole) * 1000);
  if (micros === 1000) {
    whole += 1;
    micros = 0;
  }
  const iso = new Date(whole).toISOString();
  const fraction = `${iso.slice(20, 23)}${String(micros).padStart(3, "0")}`.replace(/0+$/, "");
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ""}${zoned ? "+00" : ""}`;
}

/** Microseconds as [-]HH:MM:SS[.ffffff], the clock part of a TIME or an INTERVAL. */
function clockText(micros) {
  const sign = micros < 0n ? "-" : "";
  const abs = micros < 0n ? -micros : micros;
  const seconds = abs / 1_000_000n;
  const pad = (n) => String(n).padStart(2, "0");
  const fraction = String(abs % 1_000_000n)
    .padStart(6, "0")
    .replace(/0+$/, "");
  return `${sign}${pad(seconds / 3600n)}:${pad((seconds / 60n) % 60n)}:${pad(seconds % 60n)}${fraction ? `.${fraction}` : ""}`;
}

/** A time of day in the column's unit (seconds to nanoseconds) as HH:MM:SS[.ffffff]. */
function timeText(value, unit) {
  return clockText((BigInt(value) * 1_000_000n) / 10n ** BigInt(unit * 3));
}

/**
 * An INTERVAL as DuckDB writes it ("1 month 2 days 00:00:03"). DuckDB sends Arrow's month-day-nano
 * intervals, which this Arrow version reads wrongly, so the row's 16 bytes are read as they are:
 * months and days (int32 each), then nanoseconds (int64).
 */
function intervalText(column, row) {
  let index = row;
  for (const chunk of column.data) {
    if (index >= chunk.length) {
      index -= chunk.length;
      continue;
    }
    const words = chunk.values;
    const at = (chunk.offset + index) * 4;
    const [months, days] = [words[at], words[at + 1]];
    const nanos = (BigInt(words[at + 3]) << 32n) + BigInt(words[at + 2] >>> 0);
    const plural = (n, unit) => `${n} ${unit}${Math.abs(n) === 1 ? "" : "s"}`;
    const parts = [];
    if (Math.trunc(months / 12)) parts.push(plural(Math.trunc(months / 12), "year"));
    if (months % 12) parts.push(plural(months % 12, "month"));
    if (days) parts.push(plural(days, "day"));
    if (nanos !== 0n || parts.length === 0) parts.push(clockText(nanos / 1000n));
    return parts.join(" ");
  }
  return "NULL";
}

/** Bytes as DuckDB writes a BLOB: printable ASCII as is, every other byte as \xNN. */
function blobText(bytes) {
  return Array.from(bytes, (b) =>
    b >= 0x20 && b < 0x7f && b !== 0x5c
      ? String.fromCharCode(b)
      : `\\x${b.toString(16).toUpperCase().padStart(2, "0")}`,
  ).join("");
}

export function cell(column, row, type) {
  if (!column?.isValid(row)) return "NULL";
  if (type.typeId === arrowType.interval && type.unit === monthDayNano) return intervalText(column, row);
  const value = column.get(row);
  if (value === null || value === undefined) return "NULL";
  switch (type.typeId) {
    case arrowType.decimal:
      return decimalText(value, type.scale);
    case arrowType.timestamp:
      return timestampText(Number(value), Boolean(type.timezone));
    case arrowType.date:
      return new Date(value instanceof Date ? value.getTime() : Number(value)).toISOString().slice(0, 10);
    case arrowType.time:
      return timeText(value, type.unit);
    case arrowType.binary:
    case arrowType.largeBinary:
      return blobText(value);
  }
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "object")
    return JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v));
  return String(value);
}

/** A CSV field (RFC 4180): quoted when it holds a quote, a comma or a line break. */
export function csvText(text) {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Text as a CSV field, kept from running as a spreadsheet formula: text starting with =, +, -, @, a
 * tab or a carriage return gets a leading ', as OWASP advises, since page paths, UTM values and event
 * names come from visitors. The report pages' CSV files (reports/csv.ts) use it too.
 */
export function csvTextField(text) {
  return csvText(/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
}

/** A value as a CSV field; NULL is an empty one, and text is kept from running as a formula. */
export function csvField(column, row, type) {
  if (!column?.isValid(row)) return "";
  const text = cell(column, row, type);
  return type.typeId === arrowType.utf8 ? csvTextField(text) : csvText(text);
}
