// What `ownstats sync` leaves for the next build when it fetched objects in hours an incremental build
// has already read past: the build reads only from its watermark's hour minus the raw source's lookback
// (runner/project.ts), so those events reach the reports only through `ownstats build --full-refresh`.
// A printed hint is lost in a scheduled job; a file is not: the next whole build reads it
// (runner/full-refresh-mark.ts).
import { fullRefreshMarked, fullRefreshMarkPath } from "../runner/full-refresh-mark.ts";
import { DEFAULT_LOOKBACK_HOURS } from "../runner/project.ts";
import { writeFileDurably } from "./durable-file.ts";

/**
 * The first hour an incremental build of a warehouse built up to `newestHour` no longer reads; the
 * newest hour DATA/raw/ held before a sync stands for the warehouse's watermark, which is never later.
 */
export const incrementalReadFrom = (newestHour: number): number =>
  newestHour - DEFAULT_LOOKBACK_HOURS * 3_600_000;

/**
 * Marks that the events of `hour` and later need a full refresh, keeping an earlier hour already
 * marked. Written before those objects are downloaded: a sync cut short after fetching them would
 * otherwise leave them in place, never listed as new again and never read.
 */
export async function markFullRefresh(data: string, hour: Date, landed = "synced"): Promise<void> {
  const marked = fullRefreshMarked(data);
  if (marked && marked <= hour) return;
  await writeFileDurably(
    fullRefreshMarkPath(data),
    `${hour.toISOString()} events from this hour on were ${landed} after an incremental build read past them; ` +
      "the next whole `ownstats build` (or `run`) builds in full to read them, then deletes this file\n",
  );
}
