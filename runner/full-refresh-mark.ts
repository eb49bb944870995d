// DATA/needs-full-refresh: left by `ownstats sync` when it fetched objects in hours an incremental
// build has already read past (Firehose retries a refused delivery for a day) or deleted raw events
// older than --raw-retention-days, and by `ownstats demo --add` when its period starts there. An incremental build reads only from its watermark's hour
// minus the raw source's lookback, so those events reach the models only through a full refresh. A
// whole run or build that finds the mark builds in full and removes it once every model has been
// rebuilt; a scheduled job needs nothing of its own for it.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

export const fullRefreshMarkPath = (data: string): string => join(data, "needs-full-refresh");

/**
 * The mark's hour and why it was left: its first word is the hour, then a sentence that names it
 * "this hour", up to the first ";" (what follows tells a reader of the file what happens next).
 */
function readMark(data: string): { hour?: Date; reason?: string } | undefined {
  let text: string;
  try {
    text = readFileSync(fullRefreshMarkPath(data), "utf8").trim();
  } catch {
    return undefined;
  }
  const [first = "", ...rest] = text.split(/\s+/);
  const hour = new Date(first);
  if (Number.isNaN(hour.getTime())) return {};
  const reason = rest.join(" ").split(";")[0]?.replace("this hour", hour.toISOString());
  return { hour, reason: reason || undefined };
}

/** The earliest hour the mark names, undefined when there is none (or none that can be read). */
export const fullRefreshMarked = (data: string): Date | undefined => readMark(data)?.hour;

/** Why the mark was left, in its writer's words with the hour in place, when it says. */
export const fullRefreshReason = (data: string): string | undefined => readMark(data)?.reason;

export function clearFullRefreshMark(data: string): void {
  rmSync(fullRefreshMarkPath(data), { force: true });
}
