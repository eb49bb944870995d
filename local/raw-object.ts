// Writes one raw object the way Firehose does: gzip NDJSON under
// DATA/raw/year=YYYY/month=MM/day=DD/hour=HH/, foldered by the arrival hour in UTC.
// The object is written under a temporary name (which the `*.gz` glob of readers does not
// match), flushed to disk, then renamed, so a reader never sees half a file; the folder is
// synced after the rename, so the object survives a power loss before anything (the delivery's
// checkpoint) records it as written.
import { randomBytes } from "node:crypto";
import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { makeDirectoryDurably, writeFileDurably } from "./durable-file.ts";

const gzipAsync = promisify(gzip);

/** The Hive hour folder of an arrival time, in UTC, as an S3 key part: `year=YYYY/month=MM/day=DD/hour=HH`. */
export function hourFolder(arrival: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return (
    `year=${arrival.getUTCFullYear()}/month=${pad(arrival.getUTCMonth() + 1)}` +
    `/day=${pad(arrival.getUTCDate())}/hour=${pad(arrival.getUTCHours())}`
  );
}

/** The Hive partition folder (relative to the data folder) for an arrival time, in UTC. */
export function rawPartition(arrival: Date): string {
  return join("raw", ...hourFolder(arrival).split("/"));
}

/** The start of the hour of a raw object's year=/month=/day=/hour= folder (a path or an S3 key), in UTC ms. */
export function partitionHour(file: string): number | undefined {
  const match = /year=(\d{4})[\\/]month=(\d\d)[\\/]day=(\d\d)[\\/]hour=(\d\d)[\\/][^\\/]*$/.exec(file);
  return match
    ? Date.UTC(+(match[1] as string), +(match[2] as string) - 1, +(match[3] as string), +(match[4] as string))
    : undefined;
}

/** The newest hour folder under DATA/raw/ that holds a file, in UTC ms (undefined when none does). */
export async function newestPartitionHour(data: string): Promise<number | undefined> {
  const newestIn = async (folder: string, depth: number): Promise<number | undefined> => {
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    if (depth === 4) {
      const file = entries.find((e) => e.isFile() && e.name.endsWith(".gz"));
      return file ? partitionHour(join(folder, file.name)) : undefined;
    }
    // Folder names sort by time (zero-padded): the newest one holding a file wins.
    const folders = entries.filter((e) => e.isDirectory() && e.name.includes("=")).map((e) => e.name);
    for (const name of folders.sort().reverse()) {
      const hour = await newestIn(join(folder, name), depth + 1);
      if (hour !== undefined) return hour;
    }
    return undefined;
  };
  return newestIn(join(data, "raw"), 0);
}

/** A name that sorts by arrival and never collides between writers. */
function objectName(arrival: Date): string {
  const stamp = arrival.toISOString().replace(/[-:.]/g, "");
  return `ownstats-${stamp}-${randomBytes(6).toString("hex")}.gz`;
}

/**
 * Writes `lines` (each one JSON record, without its newline) as one gzip NDJSON object and
 * returns its final path.
 */
export async function writeRawObject(data: string, lines: string[], arrival: Date): Promise<string> {
  const body = lines.length === 0 ? "" : `${lines.join("\n")}\n`;
  return writeRawNdjson(data, Buffer.from(body, "utf8"), arrival);
}

/**
 * Writes `ndjson` (UTF-8 records, each ending with a newline) as one gzip object, for a writer
 * that already holds the bytes: decoding them into lines only to join and encode them again
 * would cost more than the gzip.
 */
export async function writeRawNdjson(data: string, ndjson: Uint8Array, arrival: Date): Promise<string> {
  if (Number.isNaN(arrival.getTime())) throw new TypeError(`Expected a valid arrival date, got ${arrival}`);
  const folder = join(data, rawPartition(arrival));
  await makeDirectoryDurably(folder);
  const compressed = await gzipAsync(ndjson);
  const finalPath = join(folder, objectName(arrival));
  await writeFileDurably(finalPath, compressed);
  return finalPath;
}

/** No object takes this long to write: a temporary file this old was left by a writer that died. */
const STALE_TEMPORARY_MS = 10 * 60 * 1000;

/**
 * Removes the temporary files that writers killed mid-write left under DATA/raw (readers never match
 * them, but nothing else would ever remove them); one still being written is too young to go.
 * Returns how many went.
 */
export async function removeStaleTemporaries(data: string, now = Date.now()): Promise<number> {
  const raw = join(data, "raw");
  let names: string[];
  try {
    names = await readdir(raw, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw error;
  }
  let removed = 0;
  for (const name of names.filter((n) => n.endsWith(".gz.tmp"))) {
    const path = join(raw, name);
    const written = await stat(path).then(
      (s) => s.mtimeMs,
      () => now,
    );
    if (now - written < STALE_TEMPORARY_MS) continue;
    await rm(path, { force: true });
    removed++;
  }
  return removed;
}
