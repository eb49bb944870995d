// How `ownstats query` prints a result: CSV and JSON row by row as DuckDB hands the result over, so an
// export of millions of rows (`--format csv > events.csv`) takes no more memory than one chunk of them;
// a table (for a terminal, its columns as wide as their widest value) its first TABLE_ROWS rows.
import { DuckDBDecimalType, type DuckDBResult, type DuckDBType, DuckDBTypeId } from "@duckdb/node-api";
import { printable } from "./printable.ts";
import { queryValue } from "./query-values.ts";
import type { Plain } from "./warehouse.ts";

export type QueryFormat = "table" | "csv" | "json";
/** Writes one piece of output, a line break after it; a promise holds the next piece back (a full pipe). */
export type Output = (text: string) => unknown;

/** The rows a table shows: past them it says how many there were and which format prints them all. */
export const TABLE_ROWS = 1_000;

export async function printResult(result: DuckDBResult, kind: QueryFormat, out: Output): Promise<void> {
  const columns = result.columnNames();
  const fractionalColumns = result.columnTypes().map(fractional);
  const text = (value: Plain, i: number) =>
    typeof value === "number" && Number.isInteger(value) && fractionalColumns[i]
      ? value.toFixed(1)
      : plainText(value);
  if (kind === "csv") {
    await out(columns.map(csvCell).join(","));
    for await (const rows of chunks(result))
      await out(
        rows.map((row) => row.map((v, i) => (v === null ? "" : csvCell(text(v, i)))).join(",")).join("\n"),
      );
    return;
  }
  if (kind === "json") {
    // As JSON.stringify(rows, null, 2) writes the whole array, one row at a time.
    const object = (row: Plain[]) =>
      JSON.stringify(Object.fromEntries(columns.map((c, i) => [c, row[i] ?? null])), null, 2).replace(
        /^/gm,
        "  ",
      );
    let held: Plain[] | undefined;
    for await (const rows of chunks(result))
      for (const row of rows) {
        await out(held ? `${object(held)},` : "[");
        held = row;
      }
    await out(held ? `${object(held)}\n]` : "[]");
    return;
  }
  const shown: Plain[][] = [];
  let count = 0;
  for await (const rows of chunks(result)) {
    shown.push(...rows.slice(0, TABLE_ROWS - shown.length));
    count += rows.length;
  }
  await out(table(columns, shown, text, count));
}

async function* chunks(result: DuckDBResult): AsyncGenerator<Plain[][]> {
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) return;
    yield chunk.getRows().map((row) => row.map(queryValue));
  }
}

/** A column of fractional numbers (FLOAT, DOUBLE, a DECIMAL with a scale), whose 1 DuckDB writes as 1.0. */
function fractional(type: DuckDBType): boolean {
  return (
    type.typeId === DuckDBTypeId.FLOAT ||
    type.typeId === DuckDBTypeId.DOUBLE ||
    (type instanceof DuckDBDecimalType && type.scale > 0)
  );
}

function plainText(value: Plain): string {
  if (value === null) return "NULL";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function table(
  columns: string[],
  rows: Plain[][],
  text: (value: Plain, i: number) => string,
  count: number,
): string {
  // A table is for a terminal, and a stored value may be a visitor's text.
  const cells = rows.map((row) => row.map((value, i) => printable(text(value, i))));
  const names = columns.map(printable);
  const widths = names.map((c, i) => cells.reduce((w, r) => Math.max(w, (r[i] ?? "").length), c.length));
  const numeric = columns.map(
    (_c, i) => rows.length > 0 && rows.every((r) => r[i] === null || typeof r[i] === "number"),
  );
  const pad = (s: string, i: number) =>
    numeric[i] ? s.padStart(widths[i] as number) : s.padEnd(widths[i] as number);
  const rule = widths.map((w) => "-".repeat(w)).join("-+-");
  const lines = [names.map(pad).join(" | "), rule, ...cells.map((r) => r.map(pad).join(" | "))];
  const total = `${count} row${count === 1 ? "" : "s"}`;
  lines.push(
    count > rows.length
      ? `(${total}; the first ${rows.length} shown: --format csv or json prints them all)`
      : `(${total})`,
  );
  return lines.join("\n");
}
