// `ownstats query "SQL"`: ad-hoc SQL on the warehouse as a table, CSV or JSON.

import { heldByAnotherProcess } from "./lock.ts";
import { withMemoryHint } from "./memory-limit.ts";
import { type Output, printResult, type QueryFormat } from "./query-output.ts";
import { cannotWrite, readOnlyError } from "./query-read-only.ts";
import { stripTrailingSemicolons } from "./sql.ts";
import { type Access, noWarehouseReason, openWarehouse } from "./warehouse.ts";

export interface QueryOptions {
  data: string;
  format: QueryFormat;
  /**
   * How long to wait while another process (a build of `ownstats dev`) holds the warehouse, which
   * DuckDB lets only one process open. @default 30_000 ms
   */
  waitMs?: number;
  /** Where output goes; stdout by default. */
  out?: Output;
  err?: (text: string) => void;
}

export async function query(sql: string, opts: QueryOptions): Promise<number> {
  const out = opts.out ?? toStdout;
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
    for (let i = 0; i < statements.count - 1; i++) await (await statements.prepare(i)).run();
    await printResult(await (await statements.prepare(statements.count - 1)).stream(), opts.format, out);
    return 0;
  } catch (error) {
    const message = (error as Error).message;
    err(`ownstats query: ${refused ? readOnlyError(message, opts.data, refused) : withMemoryHint(message)}`);
    return 1;
  } finally {
    wh.close();
  }
}

/** Standard output, waiting while the reader (a pipe, a terminal) has not taken what was written. */
function toStdout(text: string): Promise<void> | undefined {
  if (process.stdout.write(`${text}\n`)) return undefined;
  return new Promise((drained) => process.stdout.once("drain", drained));
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
