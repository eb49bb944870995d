// What `ownstats sync` leaves for the next build when it fetched objects in hours an incremental build
// has already read past: the build reads only from its watermark's hour minus the raw source's lookback
// (runner/project.ts), so those events reach the reports only through `ownstats build --full-refresh`.
// A printed hint is lost in a scheduled job; a file is not: the next whole build reads it
// (runner/full-refresh-mark.ts).
import { join } from "node:path";
import {
  fullRefreshMarkPath,
  fullRefreshMarkText,
  readFullRefreshMark,
} from "../runner/full-refresh-mark.ts";
import { DEFAULT_LOOKBACK_HOURS } from "../runner/project.ts";
import { writeFileDurably } from "./durable-file.ts";

/**
 * The first hour an incremental build of a warehouse built up to `newestHour` no longer reads; the
 * newest hour DATA/raw/ held before a sync stands for the warehouse's watermark, which is never later.
 */
export const incrementalReadFrom = (newestHour: number): number =>
  newestHour - DEFAULT_LOOKBACK_HOURS * 3_600_000;

/**
 * Marks that the events of `hour` and later need a full refresh, as `reason` says (a sentence naming
 * the hour "this hour"), keeping an earlier hour already marked: any mark makes the next whole build
 * a full one. Written before the objects land (or leave): a run cut short must not leave them unread.
 * A mark already there is written again, so that a full build running meanwhile, which may have read
 * raw/ before these objects landed, leaves it for the next build; for a build that starts after this
 * write and lists raw/ before the objects are in place, callers write it once more after they are.
 */
export async function leaveFullRefreshMark(data: string, hour: Date, reason: string): Promise<void> {
  const marked = readFullRefreshMark(data);
  const keep = marked?.hour && marked.hour <= hour;
  await writeFileDurably(fullRefreshMarkPath(data), keep ? marked.text : fullRefreshMarkText(hour, reason));
}

/** Marks events from `hour` on that were `landed` ("synced") behind an incremental build's reading. */
export const markFullRefresh = (data: string, hour: Date, landed = "synced"): Promise<void> =>
  leaveFullRefreshMark(
    data,
    hour,
    `events from this hour on were ${landed} after an incremental build read past them`,
  );

/** What a command prints after leaving the mark: when the events are read, and where it says so. */
export const fullRefreshHint = (data: string): string =>
  `the next whole \`ownstats build\` (or \`run\`) builds in full to read them, as ${join(data, "needs-full-refresh")} says until then`;
