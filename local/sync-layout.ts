// Which S3 keys `ownstats sync` fetches, and where each lands: the delivery's objects in hour folders,
// under DATA/raw/ in the same layout, the only objects the models read.
import { join } from "node:path";
import { partitionHour } from "./raw-object.ts";

/** The folder the deployed delivery streams write their error output into (the stack's ERRORS_PREFIX). */
export const ERROR_OUTPUT_FOLDER = "errors/";

/**
 * The prefix with its trailing slash when it names a folder (`raw` is `raw/`): without it, S3 lists
 * `raw-old/` too, and the stack's report reader role, allowed to list `raw/` and `raw/*` only, is
 * denied the listing. A prefix that ends mid-value (`raw/year=2026/month=0`) narrows on purpose.
 */
export function folderPrefix(prefix: string): string {
  const last = prefix.split("/").at(-1) ?? "";
  return last === "" || last.includes("=") ? prefix : `${prefix}/`;
}

/**
 * DATA/raw/<key without the prefix's root>; a key that would climb out of raw/ is refused. The root
 * is the prefix up to its year= folder, so a prefix that narrows the download to a year, month, day
 * or hour still lands the objects in DATA/raw/year=…/, the only layout the models read.
 */
export function localPath(data: string, prefix: string, key: string): string {
  const parts = partsUnderRoot(prefix, key);
  if (parts.length === 0 || parts.some((part) => part === ".." || part === "." || part.includes("\\")))
    throw new Error(`refusing S3 key ${JSON.stringify(key)}: it is not a plain path under the prefix`);
  return join(data, "raw", ...parts);
}

/**
 * Whether the key is an object of the delivery's layout under the prefix's root, the only objects the
 * models read: anything else (a prefix that stops mid-name or above raw/, Firehose's errors/ folder,
 * a stray file) would land where no build looks, or among the events when it is not one.
 */
export function inRawLayout(prefix: string, key: string): boolean {
  const relative = partsUnderRoot(prefix, key).join("/");
  return relative.startsWith("year=") && partitionHour(relative) !== undefined;
}

function partsUnderRoot(prefix: string, key: string): string[] {
  const hive = prefix.search(/(^|\/)year=/);
  const root = hive < 0 ? prefix : prefix.slice(0, hive === 0 ? 0 : hive + 1);
  const relative = key.startsWith(root) ? key.slice(root.length) : key;
  return relative.split("/").filter((part) => part !== "");
}
