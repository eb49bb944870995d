// The `events` source: hive-partitioned gzip NDJSON under the data folder, read with explicit columns
// and partition types (schema sampling would silently drop a field that only newer files carry).
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { SourceConfig } from "./project.ts";
import { quoteIdent, quoteString, stripTrailingSemicolons } from "./sql.ts";
import { bindRefs, bindSources } from "./template-marks.ts";
import { ModelError } from "./transaction.ts";

export interface PartitionFile {
  path: string;
  /** Start of the partition's hour in UTC, when the partitions include year/month/day/hour. */
  hour?: Date;
}

const timeKeys = ["year", "month", "day", "hour"] as const;

/**
 * Every `.gz` file under the source folder, in its `key=value/…` partition folders. With `since`, a
 * folder whose year, month, day or hour all lies before it is not walked into, so a run that reads the
 * last hours does not list years of history. With `limit`, the walk stops after that many files.
 */
export function listSourceFiles(
  data: string,
  source: SourceConfig,
  since?: Date,
  limit = Number.POSITIVE_INFINITY,
): PartitionFile[] {
  const root = resolve(data, source.path);
  const keys = Object.keys(source.partitions);
  const out: PartitionFile[] = [];
  const walk = (dir: string, depth: number, values: Record<string, number>) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (out.length >= limit) return;
      if (depth < keys.length) {
        const match = /^([^=]+)=(.+)$/.exec(entry.name);
        if (!entry.isDirectory() || !match || match[1] !== keys[depth]) continue;
        const next = { ...values, [match[1] as string]: Number(match[2]) };
        const end = since && endOfPrefix(keys.slice(0, depth + 1), next);
        if (end !== undefined && end <= (since as Date).getTime()) continue;
        walk(join(dir, entry.name), depth + 1, next);
      } else if (entry.isFile() && entry.name.endsWith(".gz")) {
        out.push({ path: join(dir, entry.name), hour: partitionHour(values) });
      }
    }
  };
  walk(root, 0, {});
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * The end (UTC ms, exclusive) of the time a folder covers when its keys so far are year, month, day,
 * hour in that order (`year=2026/month=03` ends at April); undefined when they are not.
 */
function endOfPrefix(keys: string[], values: Record<string, number>): number | undefined {
  if (keys.some((k, i) => k !== timeKeys[i]) || keys.some((k) => !Number.isInteger(values[k])))
    return undefined;
  const { year = 0, month = 1, day = 1, hour = 0 } = values;
  if (keys.length === 1) return Date.UTC(year + 1, 0, 1);
  if (keys.length === 2) return Date.UTC(year, month, 1);
  if (keys.length === 3) return Date.UTC(year, month - 1, day + 1);
  return Date.UTC(year, month - 1, day, hour + 1);
}

function partitionHour(values: Record<string, number>): Date | undefined {
  if (!timeKeys.every((k) => Number.isInteger(values[k]))) return undefined;
  const [y, m, d, h] = timeKeys.map((k) => values[k] as number) as [number, number, number, number];
  return new Date(Date.UTC(y, m - 1, d, h));
}

/** Whether partition pruning by hour is possible for this source. */
export function prunableByHour(source: SourceConfig): boolean {
  return timeKeys.every((k) => k in source.partitions);
}

/**
 * A path as DuckDB's glob reads it literally: its own `*`, `?` and `[` each in a one-character class.
 * DuckDB globs every path it reads files from, so a data folder named `site [2026]` matched nothing
 * (or `site 2`'s files) otherwise.
 */
const literal = (path: string) => path.replace(/[*?[]/g, "[$&]");

function glob(data: string, source: SourceConfig): string {
  const parts = Object.keys(source.partitions).map((k) => `${k}=*`);
  return join(literal(resolve(data, source.path)), ...parts, "*.gz");
}

function readCall(files: string | string[], source: SourceConfig): string {
  const columns = Object.entries(source.columns)
    .map(([name, type]) => `${quoteString(name)}: ${quoteString(type)}`)
    .join(", ");
  const target = typeof files === "string" ? quoteString(files) : `[${files.map(quoteString).join(", ")}]`;
  const hive = Object.keys(source.partitions).length
    ? `, hive_partitioning = true, hive_types = {${Object.entries(source.partitions)
        .map(([name, type]) => `${quoteString(name)}: ${quoteString(type)}`)
        .join(", ")}}, hive_types_autocast = false`
    : ", hive_partitioning = false";
  return `read_ndjson(${target}, columns = {${columns}}${hive})`;
}

/**
 * No files yet (a fresh install), or a run with --empty: an empty relation with the declared columns,
 * so models still build.
 */
export function emptyRelation(source: SourceConfig): string {
  const columns = Object.entries({ ...source.columns, ...source.partitions })
    .map(([name, type]) => `CAST(NULL AS ${type}) AS ${quoteIdent(name)}`)
    .join(", ");
  return `(SELECT ${columns} WHERE false)`;
}

export interface SourceRead {
  sql: string;
  /** How many files the relation reads (for the console and the run results). */
  files: number;
}

/**
 * The whole source's relation, without counting its files: for compiled SQL and data tests, which
 * need only the SQL (listing years of partitions on every run would cost more than the run).
 */
export function fullSourceSql(data: string, source: SourceConfig): string {
  return listSourceFiles(data, source, undefined, 1).length
    ? readCall(glob(data, source), source)
    : emptyRelation(source);
}

/** The whole source: a glob over every partition. */
export function fullSource(data: string, source: SourceConfig): SourceRead {
  const files = listSourceFiles(data, source);
  if (files.length === 0) return { sql: emptyRelation(source), files: 0 };
  return { sql: readCall(glob(data, source), source), files: files.length };
}

/** Only the partitions whose hour is at or after `since` (the watermark's hour minus the lookback). */
export function sourceSince(data: string, source: SourceConfig, since: Date): SourceRead {
  if (!prunableByHour(source)) return fullSource(data, source);
  const files = listSourceFiles(data, source, since).filter(
    (f) => f.hour && f.hour.getTime() >= since.getTime(),
  );
  if (files.length === 0) return { sql: emptyRelation(source), files: 0 };
  return {
    sql: readCall(
      files.map((f) => literal(f.path)),
      source,
    ),
    files: files.length,
  };
}

/**
 * Fills a model's source placeholders with their reads; `since` gives the first partition hour to
 * read (all when undefined).
 */
export function bindModelSources(
  sql: string,
  data: string,
  sources: Record<string, SourceConfig>,
  since: (lookbackHours: number) => Date | undefined,
  /** dbt's --empty: every ref and source reads no row (no file is listed or opened). */
  empty = false,
): { sql: string; files: number } {
  let files = 0;
  const bound = bindSources(bindRefs(sql, empty), (name) => {
    const source = sources[name];
    if (!source) throw new ModelError(`unknown source "${name}"`);
    if (empty) return emptyRelation(source);
    const from = since(source.lookback_hours);
    const read = from ? sourceSince(data, source, from) : fullSource(data, source);
    files += read.files;
    return read.sql;
  });
  return { sql: stripTrailingSemicolons(bound), files };
}
