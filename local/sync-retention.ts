// `ownstats sync --raw-retention-days N`: the bucket deletes a raw object N days after it was written
// (the stack's raw_retention_days lifecycle rule, which S3 applies from the midnight UTC after), but a
// data folder that keeps what sync downloaded would keep it for ever, and so would the warehouse built
// from it. With the same number of days, sync deletes the day folders the bucket has expired and
// marks a full refresh, so that the next whole build holds only what the bucket still holds.
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { leaveFullRefreshMark } from "./sync-full-refresh.ts";

const DAY_MS = 86_400_000;

/** What a run deleted: day folders and their files, through the end of `through`'s day (UTC). */
export interface Expired {
  /** The --raw-retention-days it deleted by. */
  retentionDays: number;
  days: number;
  files: number;
  through?: Date;
}

/**
 * The first day (UTC midnight) the bucket still holds at `now`: S3 expires an object written on day D
 * at the midnight that starts day D + days + 1, so every day before today minus `days` is gone.
 */
export const firstKeptDay = (days: number, now: number): number =>
  Math.floor(now / DAY_MS) * DAY_MS - days * DAY_MS;

/** Whether an object in the hour folder starting at `hour` (ms) has expired from the bucket at `now`. */
export const expiredHour = (hour: number, days: number, now: number): boolean =>
  hour < firstKeptDay(days, now);

const entries = async (path: string, key: string) =>
  (await readdir(path, { withFileTypes: true }).catch(() => []))
    .filter((e) => e.isDirectory() && e.name.startsWith(`${key}=`))
    .map((e) => ({ path: join(path, e.name), value: Number(e.name.slice(key.length + 1)) }));

const filesUnder = async (path: string): Promise<number> =>
  (await readdir(path, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length;

/**
 * Deletes DATA/raw/year=/month=/day= folders whose day the bucket has expired, and the month and year
 * folders left empty, marking a full refresh first when there are any (an incremental build never
 * takes stored events out, and a run killed part-way must not leave them in the warehouse unmarked).
 * Folders not named as the delivery names them are left alone.
 */
export async function expireRawDays(data: string, days: number, now = Date.now()): Promise<Expired> {
  const raw = join(data, "raw");
  const keep = firstKeptDay(days, now);
  const gone: { path: string; month: string; start: number }[] = [];
  for (const year of await entries(raw, "year"))
    for (const month of await entries(year.path, "month"))
      for (const day of await entries(month.path, "day")) {
        const start = Date.UTC(year.value, month.value - 1, day.value);
        if (start < keep) gone.push({ path: day.path, month: month.path, start });
      }
  const expired: Expired = { retentionDays: days, days: gone.length, files: 0 };
  if (gone.length === 0) return expired;
  const through = Math.max(...gone.map((day) => day.start));
  expired.through = new Date(through);
  // Its hour is the last expired day's end: nothing before it is in raw/ once they are gone.
  const mark = () =>
    leaveFullRefreshMark(
      data,
      new Date(through + DAY_MS),
      `raw events before this hour were deleted, older than --raw-retention-days ${days}`,
    );
  await mark();
  for (const day of gone) {
    expired.files += await filesUnder(day.path);
    await rm(day.path, { recursive: true, force: true });
  }
  // And again once they are gone: a full build that started meanwhile may have read them, and
  // removes only the writing of the mark it read.
  await mark();
  for (const month of new Set(gone.map((day) => day.month)))
    if ((await readdir(month)).length === 0) await rm(month, { recursive: true });
  for (const year of await entries(raw, "year"))
    if ((await readdir(year.path)).length === 0) await rm(year.path, { recursive: true });
  return expired;
}
