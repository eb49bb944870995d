// Whether a folder can hold the warehouse, asked without loading DuckDB (the collector's start asks too).
import { resolve } from "node:path";

/**
 * Why no warehouse can be kept in `data`, or undefined. DuckDB reads a `?` in a database's path as the
 * start of a URL's query: it opens the file, then fails at the first commit on a write-ahead log at a
 * mangled path (`…name.wal?/warehouse.duckdb`).
 */
export function warehouseFolderProblem(data: string): string | undefined {
  if (!resolve(data).includes("?")) return undefined;
  return `the data folder ${resolve(data)} cannot hold the warehouse: DuckDB reads a "?" in its path as the start of a URL's query; choose a folder without one with --data`;
}
