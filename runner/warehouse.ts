// One DuckDB database file per data folder. DuckDB allows one writer per file, so every part of one
// process (builds, reports, queries in the dev server) shares one instance through DuckDB's cache.
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from "@duckdb/node-api";
import { duckdbMemoryLimit } from "./memory-limit.ts";
import { warehouseFolderProblem } from "./warehouse-folder.ts";

/** A JSON-safe value: DuckDB's BIGINT/HUGEINT become numbers (strings past 2^53), times ISO strings. */
export type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };
export type Row = Record<string, Plain>;

export interface Warehouse {
  readonly path: string;
  readonly connection: DuckDBConnection;
  /** Runs one statement and returns its rows as plain values. */
  all<T extends Row = Row>(sql: string, params?: DuckDBValue[]): Promise<T[]>;
  /** Runs statements without reading results. */
  run(sql: string): Promise<void>;
  close(): void;
}

// DuckDBInstance.fromCache was seen to never settle on a later call for a path whose connections
// had come and gone (a build stalled forever), so each path is asked of it once per process.
const instances = new Map<string, Promise<DuckDBInstance>>();

/** How a warehouse is opened: read-only for a data folder that cannot be written (`ownstats query`). */
export type Access = "read-write" | "read-only";

function instanceFor(path: string, access: Access): Promise<DuckDBInstance> {
  const key = `${resolve(path)} ${access}`;
  let instance = instances.get(key);
  if (!instance) {
    const memory_limit = duckdbMemoryLimit();
    instance = DuckDBInstance.fromCache(
      path,
      access === "read-only" ? { ...readOnly(), memory_limit } : { memory_limit },
    );
    instances.set(key, instance);
    instance.catch(() => instances.delete(key));
  }
  return instance;
}

/**
 * Read-only, DuckDB takes a shared lock on the file, which a build's lock still excludes, and writes
 * nothing into the data folder but what a sort or join too big for memory spills into `<file>.tmp`:
 * that goes into a folder of this process's own in the system's temp folder, which DuckDB makes when it
 * first spills and removes as the process ends.
 */
const readOnly = () => ({
  access_mode: "READ_ONLY",
  temp_directory: join(tmpdir(), `ownstats-spill-${process.pid}-${randomUUID()}`),
});

/**
 * Closes every database file this process opened, so that another process (`ownstats query` in a
 * terminal) can open it. For a long-lived process that builds now and then; its connections must be
 * closed first. The next openWarehouse opens the file again.
 */
export async function closeWarehouseFiles(): Promise<void> {
  const open = [...instances.values()];
  instances.clear();
  for (const instance of await Promise.allSettled(open))
    if (instance.status === "fulfilled") instance.value.closeSync();
}

export function warehousePath(data: string): string {
  return join(data, "warehouse.duckdb");
}

/**
 * Why `data` holds no warehouse to read, or undefined when it does. Opening a warehouse creates it,
 * so a command that only reads asks first: a misspelt --data would leave a new folder and an empty file.
 */
export function noWarehouseReason(data: string): string | undefined {
  if (existsSync(warehousePath(data))) return undefined;
  const folder = statSync(data, { throwIfNoEntry: false });
  const build = `run \`ownstats build --data ${data}\` first`;
  if (!folder) return `no data folder ${data}: ${build}`;
  return folder.isDirectory()
    ? `no warehouse in ${data}: ${build}`
    : `--data ${data} is a file, not a data folder`;
}

// What DuckDB says when the file is not a whole database: another file under the name, or one cut
// short (a full disk, a copy that stopped).
const DAMAGED = /not a valid DuckDB database file|Could not read enough bytes from file/;

export async function openWarehouse(data: string, access: Access = "read-write"): Promise<Warehouse> {
  const problem = warehouseFolderProblem(data);
  if (problem) throw new Error(problem);
  mkdirSync(data, { recursive: true });
  const path = warehousePath(data);
  let instance: DuckDBInstance;
  try {
    instance = await instanceFor(path, access);
  } catch (error) {
    const message = (error as Error).message;
    if (!DAMAGED.test(message)) throw error;
    // Everything in the warehouse is built from raw/, so the way out loses nothing.
    throw new Error(
      `${path} is damaged or not a DuckDB database (${message.replace(/^IO Error: /, "")}). ` +
        `It holds only what the models derive from ${join(data, "raw")}: delete it and run ` +
        `\`ownstats build --full-refresh --data ${data}\` to rebuild it from the raw events`,
    );
  }
  const connection = await instance.connect();
  // A connection starts in the machine's zone (TZ), and TIMESTAMPTZ → TIMESTAMP casts follow it;
  // pinned to UTC, results never depend on where the pipeline runs. The setting is per connection.
  await connection.run("SET TimeZone = 'UTC'");
  return {
    path,
    connection,
    async all<T extends Row>(sql: string, params?: DuckDBValue[]) {
      const reader = params
        ? await connection.runAndReadAll(sql, params)
        : await connection.runAndReadAll(sql);
      return reader.getRowObjectsJS().map((row) => toPlain(row) as T);
    },
    async run(sql: string) {
      await connection.run(sql);
    },
    close() {
      connection.closeSync();
    },
  };
}

export function toPlain(value: unknown): Plain {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value === "object") {
    const out: Record<string, Plain> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toPlain(v);
    return out;
  }
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  return String(value);
}
