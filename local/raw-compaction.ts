// Joins the small objects the local delivery lands into one per hour folder, once the hour is past.
// `dev` lands an object about every second while events arrive and `collect` one every 5 seconds:
// thousands a day, each taking a file system block and an inode of its own, and each a file that a
// full refresh opens. Firehose buffers minutes; this brings an hour of the local delivery to one object.
import { readdir, readFile, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { chunk } from "../functions/collect/sink.ts";
import { DEFAULT_LOOKBACK_HOURS, loadProjectFiles } from "../runner/project.ts";
import { syncDirectory } from "./durable-file.ts";
import { hourFolder, partitionHour, rawPartition, writeRawNdjson } from "./raw-object.ts";

const gunzipAsync = promisify(gunzip);

/**
 * The names the local delivery (and replay) give objects, `ownstats-<arrival>-<random>.gz`. Others
 * (Firehose's, fetched by sync, which keeps their names to fetch no object twice) stay as they are.
 */
const LOCAL_OBJECT = /^ownstats-(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)(\d{3})Z-[0-9a-f]{12}\.gz$/;

/** At most this much compressed input goes into one joined object, so an hour never fills memory. */
const MAX_JOINED_BYTES = 32 * 1024 * 1024;

/**
 * Joins the local objects of an hour folder into one (or a few, for a busy hour), in arrival order.
 * The joined object is on disk before any of its parts is removed: a crash in between leaves events
 * twice, which the models remove by event_id, never a lost one. Returns how many objects were joined.
 */
export async function compactHourFolder(data: string, folder: string): Promise<number> {
  const names = await localObjects(data, folder);
  if (names.length < 2) return 0;
  let joined = 0;
  for (const group of await groupsBySize(folder, names)) {
    if (group.length < 2) continue;
    const parts = await Promise.all(
      group.map(async (name) => gunzipAsync(await readFile(join(folder, name)))),
    );
    // Each object's records end with a newline; one that does not is given one, so no two records join.
    const ndjson = Buffer.concat(
      parts.flatMap((part) =>
        part.length === 0 || part.at(-1) === 0x0a ? [part] : [part, Buffer.from("\n")],
      ),
    );
    await writeRawNdjson(data, ndjson, arrivalOf(group[0] as string));
    for (const name of group) await rm(join(folder, name));
    await syncDirectory(folder);
    joined += group.length;
  }
  return joined;
}

/** The local objects of an hour folder, in arrival order. */
async function localObjects(data: string, folder: string): Promise<string[]> {
  // An object moved by hand into another hour's folder would be joined into the folder its name says.
  return (await readdir(folder).catch(() => [] as string[]))
    .filter((name) => LOCAL_OBJECT.test(name))
    .filter((name) => resolve(data, rawPartition(arrivalOf(name))) === resolve(folder))
    .sort();
}

/** Consecutive names whose objects add up to at most MAX_JOINED_BYTES each (an object larger alone). */
async function groupsBySize(folder: string, names: string[]): Promise<string[][]> {
  const sized = await Promise.all(
    names.map(async (name) => ({ name, bytes: (await stat(join(folder, name))).size })),
  );
  return chunk(sized, (o) => o.bytes, Number.POSITIVE_INFINITY, MAX_JOINED_BYTES).map((group) =>
    group.map((o) => o.name),
  );
}

/** The arrival time a local object's name holds; the joined object is named after its first part's. */
function arrivalOf(name: string): Date {
  const [, y, mo, d, h, mi, s, ms] = (LOCAL_OBJECT.exec(name) as RegExpExecArray).map(Number);
  return new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s, ms));
}

const HOUR = 3_600_000;

/**
 * The package's own model project, wherever the command is run from: the models `dev` builds, whose
 * sources' lookback says which hours an incremental build reads.
 */
export const packageModels = fileURLToPath(new URL("../models/", import.meta.url));

/** The longest lookback of the project's sources (2 hours when the project does not say). */
export function sourceLookbackHours(models: string): number {
  const sources = Object.values(loadProjectFiles(models).config.sources);
  return sources.length > 0
    ? Math.max(...sources.map((source) => source.lookback_hours))
    : DEFAULT_LOOKBACK_HOURS;
}

/**
 * The start of the first hour whose objects are not joined yet at `now`: an incremental build reads
 * the hours of its lookback (and the one it is in), which must keep the objects it has loaded.
 */
export function joinableBefore(now: number, lookbackHours: number): number {
  return Math.floor(now / HOUR - lookbackHours - 1) * HOUR;
}

/** Runs a rewrite of folders that the dev server's watcher must not report (RawWatcher.rewriteUnreported). */
export type UnreportedRewrite = (
  folders: string[],
  rewrite: (folder: string) => Promise<unknown>,
) => Promise<void>;

/**
 * The dev server's joining of past hours, run between its builds (never beside one, which may be
 * reading the objects): a few hour folders at a time, from the oldest not looked at yet.
 */
export class PastHourCompaction {
  /** Hours before this were looked at. */
  private lookedBefore = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly data: string,
    private readonly rewriteUnreported: UnreportedRewrite,
    private readonly log: (line: string) => void,
  ) {}

  /** Joins the objects of up to `limit` hour folders that ended by `before` (UTC ms). */
  async run(before: number, limit = 6): Promise<void> {
    const due = (await hourFolders(this.data, this.lookedBefore)).filter((f) => f.hour + HOUR <= before);
    // Most past hours hold one object already (joined, or written whole by demo): a listing tells.
    const joinable: string[] = [];
    let lookedBefore = before;
    for (const folder of due) {
      if (joinable.length === limit) {
        lookedBefore = folder.hour;
        break;
      }
      if ((await localObjects(this.data, folder.path)).length >= 2) joinable.push(folder.path);
    }
    await this.rewriteUnreported(joinable, async (folder) => {
      try {
        const joined = await compactHourFolder(this.data, folder);
        if (joined > 0) this.log(`raw: joined ${joined} objects of ${folder} into one`);
      } catch (error) {
        // An object that cannot be read (cut short) keeps its folder as it is, said once: the hour
        // is not looked at again, and a full refresh names the object if DuckDB cannot read it either.
        this.log(`raw: left the objects of ${folder} as they are: ${(error as Error).message}`);
      }
    });
    this.lookedBefore = lookedBefore;
  }
}

/**
 * The hour folders under DATA/raw/ (year=/month=/day=/hour=) from the hour `from` on, and their hours,
 * oldest first. Folder names sort by time (zero-padded), so a year, month or day wholly before `from`
 * is not listed: after each build only the folders since the last run's are.
 */
async function hourFolders(data: string, from: number): Promise<{ path: string; hour: number }[]> {
  const cutoff = Number.isFinite(from) ? hourFolder(new Date(from)).split("/") : [];
  const found: { path: string; hour: number }[] = [];
  const walk = async (path: string, depth: number, under: string[]): Promise<void> => {
    const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
    for (const entry of entries.filter((e) => e.isDirectory() && e.name.includes("=")).sort(byName)) {
      const parts = [...under, entry.name];
      if (parts.join("/") < cutoff.slice(0, depth + 1).join("/")) continue;
      const child = join(path, entry.name);
      if (depth < 3) await walk(child, depth + 1, parts);
      else {
        const hour = partitionHour(join(child, "x"));
        if (hour !== undefined && hour >= from) found.push({ path: child, hour });
      }
    }
  };
  await walk(join(data, "raw"), 0, []);
  return found;
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * `collect`'s joining of past hours: it runs no builds to run it between, so a timer runs it, every
 * minute by default. `stop()` waits for a run under way.
 */
export function joinPastHoursEvery(
  data: string,
  log: (line: string) => void,
  everyMs = 60_000,
): { stop(): Promise<void> } {
  const lookbackHours = sourceLookbackHours(packageModels);
  const compaction = new PastHourCompaction(
    data,
    async (folders, rewrite) => {
      for (const folder of folders) await rewrite(folder);
    },
    log,
  );
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = running
      .then(() => compaction.run(joinableBefore(Date.now(), lookbackHours)))
      .catch((error: unknown) => log(`raw: joining past hours failed: ${(error as Error).message}`));
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
