// What `ownstats sync` says once it is done: what it fetched, and what the person running it should
// know about what it did not fetch or what the next build must do.
import { plural } from "../runner/console.ts";
import type { SyncSummary } from "./sync.ts";
import { fullRefreshHint } from "./sync-full-refresh.ts";

/** The lines to print for a finished sync of `source` (s3://bucket/prefix) into `data`. */
export function syncReport(summary: SyncSummary, data: string, source: string, prefix: string): string[] {
  const resumed = summary.resumed ? `, ${summary.resumed} resumed` : "";
  const lines = [
    `sync: ${plural(summary.downloaded, "new object")} (${(summary.bytes / 1e6).toFixed(1)} MB${resumed}) from ${source} into ${data}/raw/` +
      (summary.lastKey ? `; up to ${summary.lastKey}` : ""),
  ];
  if (summary.replaced)
    lines.push(
      `sync: ${plural(summary.replaced, "object")} of those had been replaced in ${source} under the same key since ${summary.replaced === 1 ? "its" : "their"} last download (another ETag), and ${summary.replaced === 1 ? "was" : "were"} fetched again`,
    );
  if (summary.incomplete)
    lines.push(
      `sync: ${plural(summary.incomplete, "object")} of those ${summary.incomplete === 1 ? "was" : "were"} in ${data}/raw/ at another size than in ${source} (cut short, as by a power loss or an interrupted copy), and ${summary.incomplete === 1 ? "was" : "were"} fetched again`,
    );
  const expired = summary.expired;
  if (expired?.through)
    lines.push(
      `sync: deleted ${plural(expired.files, "raw object")} of ${plural(expired.days, "day")} through ${expired.through.toISOString().slice(0, 10)} from ${data}/raw/, ` +
        `older than --raw-retention-days ${expired.retentionDays}, as the bucket expires them; the next whole \`ownstats build\` (or \`run\`) builds in full to take their events out of the warehouse`,
    );
  if (summary.listedExpired)
    lines.push(
      `sync: left ${plural(summary.listedExpired, "object")} that ${source} still lists in days older than --raw-retention-days ${expired?.retentionDays}: ` +
        "S3 deletes an expired object some time after its day, and they would be deleted here again",
    );
  if (summary.nothingUnderPrefix)
    lines.push(
      `sync: ${source} holds no objects: either nothing has been delivered yet, or --prefix is not the folder the delivery writes to ` +
        `(raw/, the default; keys are case-sensitive${prefix.startsWith("/") ? " and do not start with /" : ""})`,
    );
  if (summary.firstSkipped)
    lines.push(
      `sync: left ${plural(summary.skipped, "object")} that ${summary.skipped === 1 ? "is" : "are"} not in a year=/month=/day=/hour= folder under ${source} (the first: ${summary.firstSkipped}); ` +
        "--prefix names the folder that holds the year= folders (raw/, the default)",
    );
  if (summary.firstErrorOutput)
    lines.push(
      `sync: left ${plural(summary.errorOutput, "object")} under errors/, where Firehose writes the records it could not deliver: error reports, not events (the first: ${summary.firstErrorOutput}); ` +
        "the events are under raw/ (--prefix raw/, the default)",
    );
  if (summary.firstGone)
    lines.push(
      `sync: ${plural(summary.gone, "object")} ${summary.gone === 1 ? "was" : "were"} deleted from ${source} between the listing and ${summary.gone === 1 ? "its" : "their"} download (the first: ${summary.firstGone}), ` +
        "as the bucket's lifecycle rule expires old hours",
    );
  if (summary.behindWarehouseFrom)
    lines.push(
      `sync: some objects are in hours from ${summary.behindWarehouseFrom.toISOString()} on, older than what ${data}/raw/ held; ` +
        `an incremental build reads only from its watermark minus lookback_hours, so ${fullRefreshHint(data)}`,
    );
  return lines;
}
