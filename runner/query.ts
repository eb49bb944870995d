// `ownstats query "SQL"`: ad-hoc SQL on the warehouse as a table, CSV or JSON.

import { DuckDBDecimalType, type DuckDBType, DuckDBTypeId } from "@duckdb/node-api";
import { heldByAnotherProcess } from "./lock.ts";
import { printable } from "./printable.ts";
import { cannotWrite, readOnlyError } from "./query-read-only.ts";
import { queryValue } from "./query-values.ts";
import { stripTrailingSemicolons } from "./sql.ts";
import { type Access, noWarehouseReason, openWarehouse, type Plain } from "./warehouse.ts";

export interface QueryOptions {
  data: string;
  format: "table" | "csv" | "json";
  /**
   * How long to wait while another process (a build of `ownstats dev`) holds the warehouse, which
   * DuckDB lets only one process open. @default 30_000 ms
   */
  waitMs?: number;
  /** Where output goes; stdout by default. */
  out?: (text: string) => void;
  err?: (text: string) => void;
}

export async function query(sql: string, opts: QueryOptions): Promise<number> {
  const out = opts.out ?? ((t: string) => process.stdout.write(`${t}\n`));
  const err = opts.err ?? ((t: string) => process.stderr.write(`${t}\n`));
  // DuckDB answers SQL without a statement with a bare "Error in native callback"; it is a usage error.
  if (stripTrailingSemicolons(sql) === "") {
    err("ownstats query: no SQL statement given");
    return 2;
  }
  const noWarehouse = noWarehouseReason(opts.data);
  if (noWarehouse) {
    err(`ownstats query: ${noWarehouse}`);
    return 1;
  }
  // A query only reads, so a folder it may not write into is no reason to refuse it.
  const refused = cannotWrite(opts.data);
  const access = refused ? "read-only" : "read-write";
  const wh = await openWhenFree(opts.data, access, opts.waitMs ?? 30_000, (t) => err(`ownstats query: ${t}`));
  if (!wh) return 1;
  try {
    // Each statement runs in turn and the last one's result is printed, as `psql -c` does.
    const statements = await wh.connection.extractStatements(sql);
    let reader = await (await statements.prepare(0)).runAndReadAll();
    for (let i = 1; i < statements.count; i++) reader = await (await statements.prepare(i)).runAndReadAll();
    const columns = reader.columnNames();
    const rows = reader.getRows().map((row) => row.map(queryValue));
    out(format(columns, rows, opts.format, reader.columnTypes().map(fractional)));
    return 0;
  } catch (error) {
    const message = (error as Error).message;
    err(`ownstats query: ${refused ? readOnlyError(message, opts.data, refused) : message}`);
    return 1;
  } finally {
    wh.close();
  }
}

const isLocked = (error: unknown) => error instanceof Error && heldByAnotherProcess(error.message);

/** Opens the warehouse, waiting while another process holds it; undefined (said on err) after waitMs. */
export async function openWhenFree(
  data: string,
  access: Access,
  waitMs: number,
  err: (text: string) => void,
) {
  const deadline = Date.now() + waitMs;
  for (let waited = false; ; waited = true) {
    try {
      return await openWarehouse(data, access);
    } catch (error) {
      if (!isLocked(error)) throw error;
      if (Date.now() >= deadline) {
        err(`the warehouse is still in use by another process after ${waitMs / 1000} s; try again`);
        return undefined;
      }
      if (!waited) err("the warehouse is in use by another process (a build?); waiting for it");
      await new Promise((done) => setTimeout(done, 200));
    }
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

/**
 * The result as `kind` says. JSON keeps numbers numbers; the table and CSV write a whole value of a
 * `fractional` column as DuckDB does (1.0, not 1), so that a rate reads as one.
 */
export function format(
  columns: string[],
  rows: Plain[][],
  kind: QueryOptions["format"],
  fractionalColumns: boolean[] = [],
): string {
  if (kind === "json")
    return JSON.stringify(
      rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i] ?? null]))),
      null,
      2,
    );
  const text = (value: Plain, i: number) =>
    typeof value === "number" && Number.isInteger(value) && fractionalColumns[i]
      ? value.toFixed(1)
      : plainText(value);
  if (kind === "csv")
    return [
      columns.map(csvCell),
      ...rows.map((row) => row.map((v, i) => (v === null ? "" : csvCell(text(v, i))))),
    ]
      .map((row) => row.join(","))
      .join("\n");
  return table(columns, rows, text);
}

function plainText(value: Plain): string {
  if (value === null) return "NULL";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function table(columns: string[], rows: Plain[][], text: (value: Plain, i: number) => string): string {
  // A table is for a terminal, and a stored value may be a visitor's text.
  const cells = rows.map((row) => row.map((value, i) => printable(text(value, i))));
  const names = columns.map(printable);
  const widths = names.map((c, i) => Math.max(c.length, ...cells.map((r) => (r[i] ?? "").length)));
  const numeric = columns.map(
    (_c, i) => rows.length > 0 && rows.every((r) => r[i] === null || typeof r[i] === "number"),
  );
  const pad = (s: string, i: number) =>
    numeric[i] ? s.padStart(widths[i] as number) : s.padEnd(widths[i] as number);
  const rule = widths.map((w) => "-".repeat(w)).join("-+-");
  const lines = [names.map(pad).join(" | "), rule, ...cells.map((r) => r.map(pad).join(" | "))];
  lines.push(`(${rows.length} row${rows.length === 1 ? "" : "s"})`);
  return lines.join("\n");
}
