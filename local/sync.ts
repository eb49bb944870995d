// `ownstats sync`: incremental download of the delivery's raw objects from S3 into DATA/raw/.
// Keys are listed in order (ListObjectsV2, no delimiter) starting after the last key recorded in
// DATA/sync-state.json, so each run fetches only what is new. Firehose can still write an object into
// an hour folder the last run already passed (a delivery to S3 that failed and is retried for up to a
// day, or the other delivery stream, whose names sort first, taking over), so each run lists again from
// LATE_WRITE_HOURS before that key and fetches what is not here yet. How one object lands in place:
// sync-download.ts.
import { mkdir, stat } from "node:fs/promises";
import {
  type _Object,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  S3Client,
} from "@aws-sdk/client-s3";

import { plural } from "../runner/console.ts";
import { runInOrder } from "./in-order-pool.ts";
import { hourFolder, newestPartitionHour, partitionHour } from "./raw-object.ts";
import { answeredWithin, S3_SILENCE_SECONDS, s3Client } from "./sync-client.ts";
import { type Downloaded, download } from "./sync-download.ts";
import { incrementalReadFrom, markFullRefresh } from "./sync-full-refresh.ts";
import { ERROR_OUTPUT_FOLDER, folderPrefix, inRawLayout, localPath } from "./sync-layout.ts";
import { lockSync } from "./sync-lock.ts";
import { type Expired, expiredHour, expireRawDays } from "./sync-retention.ts";
import { endpointOf, notS3, s3Error } from "./sync-s3-error.ts";
import { SourceProgress } from "./sync-state.ts";

export interface SyncSettings {
  bucket: string;
  prefix: string;
  data: string;
  endpoint?: string;
  /** A ready client (tests pass one with the server's credentials); otherwise built from the settings. */
  client?: S3Client;
  /**
   * Milliseconds without an answer from S3 after which a request is given up (S3_SILENCE_SECONDS);
   * tests shorten it.
   */
  silenceMs?: number;
  /** Objects downloaded at the same time. */
  concurrency?: number;
  /**
   * The bucket's raw_retention_days: day folders it has expired are deleted from DATA/raw/, and
   * objects it still lists in them are not downloaded (sync-retention.ts). Unset keeps everything.
   */
  rawRetentionDays?: number;
  /** The time retention is counted from (tests); now by default. */
  now?: number;
  log?: (line: string) => void;
}

export interface SyncSummary {
  listed: number;
  downloaded: number;
  resumed: number;
  bytes: number;
  lastKey?: string;
  /** Objects fetched again because S3 holds another version under their key (another ETag). */
  replaced: number;
  /** Objects fetched again because their file in DATA/raw/ was shorter or longer than the same version in S3. */
  incomplete: number;
  /**
   * Objects listed under errors/, where Firehose writes the records it could not deliver: they are in
   * the hourly layout too, but hold error reports, not events.
   */
  errorOutput: number;
  firstErrorOutput?: string;
  /** Objects listed that are not in the year=/month=/day=/hour= layout under the prefix, left in S3. */
  skipped: number;
  firstSkipped?: string;
  /** A first run found no object at all under the prefix: nothing delivered yet, or a wrong prefix. */
  nothingUnderPrefix?: boolean;
  /** Objects listed but deleted before their download (the bucket's lifecycle rule expires old hours). */
  gone: number;
  firstGone?: string;
  /** What --raw-retention-days deleted from DATA/raw/. */
  expired?: Expired;
  /** Objects listed in days the bucket has expired (S3 deletes them some time after), not downloaded. */
  listedExpired: number;
  /**
   * The earliest hour fetched, when it lies more than the raw source's lookback before the newest
   * hour that DATA/raw/ already held: an incremental build of a warehouse that holds those later hours
   * reads from its watermark minus the lookback, so it needs `--full-refresh` to read these (marked
   * for the next build in DATA/needs-full-refresh, see sync-full-refresh.ts).
   */
  behindWarehouseFrom?: Date;
}

export { S3_SILENCE_SECONDS, s3Client } from "./sync-client.ts";
export { ERROR_OUTPUT_FOLDER, folderPrefix, inRawLayout, localPath } from "./sync-layout.ts";
export { syncStatePath } from "./sync-state.ts";

/**
 * Hours Firehose goes on retrying a delivery to S3 that fails: it keeps records for 24 hours (a
 * DirectPut stream always; a Kinesis-fed one for the source stream's retention, which the stack sets
 * to 24 hours) and retries until then. The S3 destination has no retry duration of its own to set.
 */
export const FIREHOSE_RETRY_HOURS = 24;
/** The longest buffering interval the stack accepts (firehose_buffer_seconds, 0-900). */
export const FIREHOSE_MAX_BUFFER_SECONDS = 900;

/**
 * Hour folders before the last synced key's that each run lists again. Firehose names an object's
 * folder after the arrival hour of its oldest record, but writes it once its buffer flushes and S3
 * takes it: up to FIREHOSE_RETRY_HOURS plus a buffering interval later. No object written after the
 * last run can be in an older folder than this many before the newest one that run saw; relisting
 * them costs one LIST per 1,000 keys (see the cost estimate's syncListedHours).
 */
export const LATE_WRITE_HOURS = Math.ceil(FIREHOSE_RETRY_HOURS + FIREHOSE_MAX_BUFFER_SECONDS / 3600);

/**
 * Where a run starts listing: the hour folder LATE_WRITE_HOURS before the last key's, when the key
 * is in the delivery's year=/month=/day=/hour= layout; otherwise just after the last key.
 */
export function listingStart(lastKey: string | undefined): string | undefined {
  const hour = lastKey === undefined ? undefined : partitionHour(lastKey);
  if (lastKey === undefined || hour === undefined) return lastKey;
  const head = lastKey.slice(0, lastKey.lastIndexOf("year="));
  return `${head}${hourFolder(new Date(hour - LATE_WRITE_HOURS * 3_600_000))}/`;
}

/**
 * Whether the listed object is in place: at its full size, and with the ETag it had when an earlier run
 * fetched it, when that is known. An object replaced under the same key (delivered again, repaired) has
 * another ETag, whatever its size; a file of another size than the same version in S3 is a copy cut
 * short here (a power loss before it reached the disk, a copy of the folder interrupted).
 */
async function inPlace(
  path: string,
  size: number,
  etag: string | undefined,
  fetched: string | undefined,
): Promise<"here" | "missing" | "replaced" | "short"> {
  const localSize = await stat(path).then(
    (s) => (s.isFile() ? s.size : undefined),
    () => undefined,
  );
  if (localSize === undefined) return "missing";
  if (etag !== undefined && fetched !== undefined && fetched !== etag) return "replaced";
  if (localSize === size) return "here";
  return fetched === undefined ? "replaced" : "short";
}

/** Downloaded objects between two progress lines. */
export const PROGRESS_EVERY = 100;

export async function syncBucket(settings: SyncSettings): Promise<SyncSummary> {
  await mkdir(settings.data, { recursive: true });
  const unlock = await lockSync(settings.data);
  try {
    return await syncLocked({ ...settings, prefix: folderPrefix(settings.prefix) });
  } finally {
    await unlock();
  }
}

async function syncLocked(settings: SyncSettings): Promise<SyncSummary> {
  const { bucket, data } = settings;
  const prefix = settings.prefix;
  const silenceMs = settings.silenceMs ?? S3_SILENCE_SECONDS * 1000;
  const client = settings.client ?? (await s3Client(settings.endpoint, silenceMs));
  const log = settings.log ?? (() => {});
  const progress = await SourceProgress.open(data, client, bucket, prefix);
  const summary: SyncSummary = {
    listed: 0,
    downloaded: 0,
    resumed: 0,
    bytes: 0,
    replaced: 0,
    incomplete: 0,
    errorOutput: 0,
    skipped: 0,
    gone: 0,
    listedExpired: 0,
    lastKey: progress.lastKey,
  };
  const days = settings.rawRetentionDays;
  const now = settings.now ?? Date.now();
  // Before the listing, so that a sync S3 keeps failing still deletes what the bucket has.
  if (days !== undefined) summary.expired = await expireRawDays(data, days, now);
  const record = async (objects: { Key?: string; ETag?: string }[], key: string | undefined) => {
    const etags = objects.flatMap((o) => (o.Key && o.ETag ? [{ key: o.Key, etag: o.ETag }] : []));
    await progress.record(etags, key, listingStart);
    summary.lastKey = progress.lastKey;
  };
  const newestBefore = await newestPartitionHour(data);
  const readFrom = newestBefore === undefined ? undefined : incrementalReadFrom(newestBefore);
  const startAfter = listingStart(summary.lastKey);
  const refetched = new Map<string, "replaced" | "short">();
  let logged = 0;
  let continuation: string | undefined;
  do {
    const page = await listPage(
      client,
      { ...settings, silenceMs },
      continuation ? { ContinuationToken: continuation } : { StartAfter: startAfter },
    );
    if (startAfter === undefined && !continuation && !page.Contents?.length)
      summary.nothingUnderPrefix = true;
    const objects = [];
    const found = [];
    let pageLast: string | undefined;
    for (const o of page.Contents ?? []) {
      if (!o.Key || o.Key.endsWith("/")) continue;
      if (o.Key.startsWith(ERROR_OUTPUT_FOLDER)) {
        summary.errorOutput++;
        summary.firstErrorOutput ??= o.Key;
        continue;
      }
      if (!inRawLayout(prefix, o.Key)) {
        summary.skipped++;
        summary.firstSkipped ??= o.Key;
        continue;
      }
      pageLast = o.Key;
      const hour = partitionHour(o.Key);
      if (days !== undefined && hour !== undefined && expiredHour(hour, days, now)) {
        summary.listedExpired++;
        continue;
      }
      const local = await inPlace(
        localPath(data, prefix, o.Key),
        o.Size ?? 0,
        o.ETag,
        progress.etagOf(o.Key),
      );
      if (local === "here") found.push(o);
      else objects.push(o);
      if (local === "replaced" || local === "short") refetched.set(o.Key, local);
    }
    summary.listed += objects.length;
    // Written before any of them is downloaded: a sync cut short would leave them in place, never
    // listed as new again and never read by an incremental build.
    const hourOf = (o: _Object) => partitionHour(o.Key as string) ?? Number.POSITIVE_INFINITY;
    const markBehind = async (list: _Object[]) => {
      const behind = readFrom === undefined ? [] : list.map(hourOf).filter((hour) => hour < readFrom);
      if (behind.length) await markFullRefresh(data, new Date(Math.min(...behind)));
    };
    await markBehind(objects);
    // Downloads run side by side, a new one as soon as any finishes; the state moves past a chunk of
    // them only once it and everything before it are in place.
    // Landed and not settled yet: what a failure must still mark.
    const landed = new Set<_Object>();
    const fetch = (o: _Object) =>
      download(
        client,
        bucket,
        o.Key as string,
        o.Size ?? 0,
        localPath(data, prefix, o.Key as string),
        o.ETag,
        silenceMs,
      ).then(
        (result) => {
          if (!result.gone) landed.add(o);
          return result;
        },
        async (error: unknown) => {
          throw await s3Error(error, bucket, prefix, client, silenceMs);
        },
      );
    const settle = async (chunk: { item: _Object; result: Downloaded }[]) => {
      const fetched = [];
      for (const { item: object, result } of chunk) {
        if (result.gone) {
          summary.gone++;
          summary.firstGone ??= object.Key;
          continue;
        }
        fetched.push(object);
        summary.downloaded++;
        summary.bytes += result.bytes;
        const again = refetched.get(object.Key as string);
        if (again === "replaced") summary.replaced++;
        if (again === "short") summary.incomplete++;
        if (result.resumed) summary.resumed++;
        const hour = hourOf(object);
        const earliest = summary.behindWarehouseFrom?.getTime() ?? Number.POSITIVE_INFINITY;
        if (readFrom !== undefined && hour < readFrom && hour < earliest)
          summary.behindWarehouseFrom = new Date(hour);
      }
      // Marked again once they landed: a full build that started meanwhile listed raw/ without them,
      // and removes only the writing of the mark it read (sync-full-refresh.ts).
      await markBehind(fetched);
      for (const object of fetched) landed.delete(object);
      await record(fetched, chunk.at(-1)?.item.Key);
      // A line per chunk would be thousands in a first sync of months (a scheduled job's log): the
      // first chunk says it started, then one line per PROGRESS_EVERY objects.
      if (
        logged === 0 ||
        Math.floor(summary.downloaded / PROGRESS_EVERY) > Math.floor(logged / PROGRESS_EVERY)
      )
        log(`synced ${plural(summary.downloaded, "object")} (${summary.lastKey})`);
      logged = summary.downloaded;
    };
    try {
      await runInOrder(objects, settings.concurrency ?? 4, fetch, settle);
    } catch (error) {
      // A download that failed stops the sync before the objects that landed around it are settled:
      // they are in raw/ all the same, and the next sync finds them in place and does not mark them.
      await markBehind([...landed]);
      throw error;
    }
    // Every object of the page is in place now, those found here too: without recording them, a folder
    // that already held them (a copy, or sync-state.json deleted) would be listed from the start again
    // at every run until a new object arrived.
    if (pageLast !== undefined) await record(found, pageLast);
    continuation = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (continuation);
  return summary;
}

/** One page of the listing; a failure is said in words that name what is wrong (see s3Error). */
async function listPage(
  client: S3Client,
  settings: SyncSettings & { silenceMs: number },
  from: { ContinuationToken: string } | { StartAfter: string | undefined },
): Promise<ListObjectsV2CommandOutput> {
  const { silenceMs } = settings;
  let page: ListObjectsV2CommandOutput;
  try {
    page = await answeredWithin(silenceMs, (abortSignal) =>
      client.send(
        new ListObjectsV2Command({ Bucket: settings.bucket, Prefix: settings.prefix || undefined, ...from }),
        { abortSignal },
      ),
    );
  } catch (error) {
    throw await s3Error(error, settings.bucket, settings.prefix, client, silenceMs);
  }
  // Every S3 listing names its bucket; a page without one did not come from S3.
  if (page.Name === undefined)
    throw notS3(settings.bucket, page.$metadata.httpStatusCode, await endpointOf(client));
  return page;
}
