// What `ownstats sync` leaves for the next build when it fetched objects in hours an incremental build
// has already read past: the build reads only from its watermark's hour minus the raw source's lookback
// (runner/project.ts), so those events reach the reports only through `ownstats build --full-refresh`.
// A printed hint is lost in a scheduled job; this file is not: the reports workflow builds with
// --full-refresh while it exists and deletes it once that build has worked.
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_LOOKBACK_HOURS } from "../runner/project.ts";

export const fullRefreshMarkPath = (data: string): string => join(data, "needs-full-refresh");

/**
 * The first hour an incremental build of a warehouse built up to `newestHour` no longer reads; the
 * newest hour DATA/raw/ held before a sync stands for the warehouse's watermark, which is never later.
 */
export const incrementalReadFrom = (newestHour: number): number =>
  newestHour - DEFAULT_LOOKBACK_HOURS * 3_600_000;

/** The earliest hour the mark names, undefined when there is none (or none that can be read). */
export async function fullRefreshMarked(data: string): Promise<Date | undefined> {
  const text = await readFile(fullRefreshMarkPath(data), "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  const hour = new Date(text.trim().split(/\s/)[0] ?? "");
  return Number.isNaN(hour.getTime()) ? undefined : hour;
}

/**
 * Marks that the events of `hour` and later need a full refresh, keeping an earlier hour already
 * marked. Written before those objects are downloaded: a sync cut short after fetching them would
 * otherwise leave them in place, never listed as new again and never read.
 */
export async function markFullRefresh(data: string, hour: Date): Promise<void> {
  const marked = await fullRefreshMarked(data);
  if (marked && marked <= hour) return;
  const path = fullRefreshMarkPath(data);
  await writeFile(
    `${path}.tmp`,
    `${hour.toISOString()} events from this hour on were synced after an incremental build read past them; ` +
      "`ownstats build --full-refresh` reads them (then delete this file)\n",
  );
  await rename(`${path}.tmp`, path);
}
