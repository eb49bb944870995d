// DATA/needs-full-refresh: left when events landed in raw/ where an incremental build no longer
// reads them (sync fetching objects Firehose wrote a day late, `demo --add`, `replay`, objects `dev`
// saw arrive in older hours), or when raw events were deleted (sync's --raw-retention-days, objects
// removed while `dev` ran), which only a full build takes out of the tables. A whole run or build that
// finds the mark builds in full and removes it once every model has been rebuilt (`dev` removes it
// after its own full build); a scheduled job needs nothing of its own for it.
import { readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

export const fullRefreshMarkPath = (data: string): string => join(data, "needs-full-refresh");

/**
 * The mark's text: the hour, then why it was left, a sentence naming that hour "this hour", then what
 * the next build does, for a person who opens the file. The writers durably write this line.
 */
export const fullRefreshMarkText = (hour: Date, reason: string): string =>
  `${hour.toISOString()} ${reason}; the next whole \`ownstats build\` (or \`run\`) builds in full, then deletes this file\n`;

export interface FullRefreshMark {
  text: string;
  hour?: Date;
  reason?: string;
  /**
   * This writing of the file (its inode and modification time): a writer leaves the mark again even
   * when the text stays the same, and a build that read it removes only the writing it read.
   */
  written: string;
}

/** The mark as it stands: its text, and the hour and why it was left, as fullRefreshMarkText wrote them. */
export function readFullRefreshMark(data: string): FullRefreshMark | undefined {
  let text: string;
  let written: string;
  try {
    const path = fullRefreshMarkPath(data);
    text = readFileSync(path, "utf8");
    const stats = statSync(path, { bigint: true });
    written = `${stats.ino} ${stats.mtimeNs}`;
  } catch {
    return undefined;
  }
  const [first = "", ...rest] = text.trim().split(/\s+/);
  const hour = new Date(first);
  if (Number.isNaN(hour.getTime())) return { text, written };
  const reason = rest.join(" ").split(";")[0]?.replace("this hour", hour.toISOString());
  return { text, hour, ...(reason ? { reason } : {}), written };
}

/** The earliest hour the mark names, undefined when there is none (or none that can be read). */
export const fullRefreshMarked = (data: string): Date | undefined => readFullRefreshMark(data)?.hour;

/** Why the mark was left, in its writer's words with the hour in place, when it says. */
export const fullRefreshReason = (data: string): string | undefined => readFullRefreshMark(data)?.reason;

/**
 * Removes the mark a full build read as `seen`; one left again while it ran (sync fetching late
 * objects meanwhile, whatever their hour) stays, for the next build.
 */
export function clearFullRefreshMark(data: string, seen: FullRefreshMark): void {
  if (readFullRefreshMark(data)?.written === seen.written) rmSync(fullRefreshMarkPath(data), { force: true });
}
