// `ownstats query` on a data folder it may not write into (a read-only volume a warehouse was synced
// to, a folder of another user): the warehouse is opened read-only, which answers every query that reads.
import { accessSync, constants } from "node:fs";
import { REFUSED, wayOut } from "./refused-write.ts";
import { warehousePath } from "./warehouse.ts";

const READ_ONLY = new Set(["EROFS", "EACCES", "EPERM"]);

/**
 * Why the warehouse in `data` cannot be written (EROFS, EACCES, EPERM), or undefined when it can. The
 * folder counts as well as the file: a write goes first into the .wal file DuckDB makes beside it.
 */
export function cannotWrite(data: string): string | undefined {
  for (const path of [warehousePath(data), data]) {
    try {
      accessSync(path, constants.W_OK);
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException;
      if (code && READ_ONLY.has(code)) return code;
    }
  }
  return undefined;
}

/**
 * A statement's error on the warehouse opened read-only because of `code`: DuckDB's words for one that
 * writes ("… attached in read-only mode!") name the database, not the folder, nor why it is read-only.
 */
export function readOnlyError(message: string, data: string, code: string): string {
  if (!message.includes("attached in read-only mode")) return message;
  return (
    `cannot write into the data folder ${data}: ${REFUSED[code]} (${code}), so the warehouse was opened ` +
    `read-only; ${wayOut(code, data)} to run a statement that writes`
  );
}
