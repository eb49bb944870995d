// DATA/needs-full-refresh: left by `ownstats sync` when it fetched objects in hours an incremental
// build has already read past (Firehose retries a refused delivery for a day), and by `ownstats demo
// --add` when its period starts there. An incremental build reads only from its watermark's hour
// minus the raw source's lookback, so those events reach the models only through a full refresh. A
// whole run or build that finds the mark builds in full and removes it once every model has been
// rebuilt; a scheduled job needs nothing of its own for it.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

export const fullRefreshMarkPath = (data: string): string => join(data, "needs-full-refresh");

/** The earliest hour the mark names, undefined when there is none (or none that can be read). */
export function fullRefreshMarked(data: string): Date | undefined {
  let text: string;
  try {
    text = readFileSync(fullRefreshMarkPath(data), "utf8");
  } catch {
    return undefined;
  }
  const hour = new Date(text.trim().split(/\s/)[0] ?? "");
  return Number.isNaN(hour.getTime()) ? undefined : hour;
}

export function clearFullRefreshMark(data: string): void {
  rmSync(fullRefreshMarkPath(data), { force: true });
}
