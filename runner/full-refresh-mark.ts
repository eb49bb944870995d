// DATA/needs-full-refresh: left when events landed in raw/ where an incremental build no longer
// reads them (sync fetching objects Firehose wrote a day late, `demo --add`, `replay`), or when sync
// deleted raw events older than --raw-retention-days, which only a full build takes out of the
// tables. A whole run or build that finds the mark builds in full and removes it once every model
// has been rebuilt; a scheduled job needs nothing of its own for it.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

export const fullRefreshMarkPath = (data: string): string => join(data, "needs-full-refresh");

/**
 * The mark's text: the hour, then why it was left, a sentence naming that hour "this hour", then what
 * the next build does, for a person who opens the file. The writers durably write this line.
 */
export const fullRefreshMarkText = (hour: Date, reason: string): string =>
  `${hour.toISOString()} ${reason}; the next whole \`ownstats build\` (or \`run\`) builds in full, then deletes this file\n`;

/** The mark's hour and why it was left, as fullRefreshMarkText wrote them. */
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
