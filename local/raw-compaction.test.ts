import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { tempFolder } from "../test/temp-folders.ts";
import { compactHourFolder, PastHourCompaction } from "./raw-compaction.ts";
import { rawPartition, writeRawObject } from "./raw-object.ts";

const hour = new Date("2026-11-29T09:00:00Z");
const at = (second: number) => new Date(hour.getTime() + second * 1000);
const record = (id: number) => JSON.stringify({ event_id: `e${id}` });
const linesOf = (folder: string, name: string) =>
  gunzipSync(readFileSync(join(folder, name)))
    .toString("utf8")
    .split("\n")
    .filter(Boolean);

/** The dev server's joining of past hours, with no watcher around it, its lines into `lines`. */
const pastHours = (data: string, lines: string[]) =>
  new PastHourCompaction(
    data,
    async (folders, rewrite) => {
      for (const f of folders) await rewrite(f);
    },
    (line) => lines.push(line),
  );

describe("compactHourFolder", () => {
  it("joins the local delivery's objects of an hour into one, every record once, in arrival order", async () => {
    const data = tempFolder("ownstats-compact-");
    // Written out of order: the joined object follows their arrival, as their names sort.
    for (const [second, ids] of [
      [30, [3, 4]],
      [10, [1, 2]],
      [50, [5]],
    ] as const)
      await writeRawObject(data, ids.map(record), at(second));
    const folder = join(data, rawPartition(hour));
    // Firehose's objects (fetched by sync under their own names) and a write under way stay.
    writeFileSync(join(folder, "ownstats-direct-1-2026-11-29-09-05-00-abc.gz"), gzipSync(`${record(9)}\n`));
    writeFileSync(join(folder, "ownstats-20261129T091500000Z-0123456789ab.gz.tmp"), "half");
    // An object without a final newline does not run into the next one.
    writeFileSync(join(folder, "ownstats-20261129T092000000Z-0123456789ab.gz"), gzipSync(record(6)));

    expect(await compactHourFolder(data, folder)).toBe(4);
    const names = readdirSync(folder).sort();
    const joined = names.filter((name) => /^ownstats-\d{8}T/.test(name) && name.endsWith(".gz"));
    expect(joined).toHaveLength(1);
    expect(joined[0]).toMatch(/^ownstats-20261129T090010000Z-[0-9a-f]{12}\.gz$/);
    expect(linesOf(folder, joined[0] as string)).toEqual([1, 2, 3, 4, 5, 6].map(record));
    expect(names).toContain("ownstats-direct-1-2026-11-29-09-05-00-abc.gz");
    expect(names).toContain("ownstats-20261129T091500000Z-0123456789ab.gz.tmp");
    expect(names).toHaveLength(3);

    // Once joined, there is nothing more to do.
    expect(await compactHourFolder(data, folder)).toBe(0);
    expect(readdirSync(folder).sort()).toEqual(names);
  });

  it("leaves a folder of one object, and an object whose name says another hour, as they are", async () => {
    const data = tempFolder("ownstats-compact-");
    await writeRawObject(data, [record(1)], at(5));
    const folder = join(data, rawPartition(hour));
    expect(await compactHourFolder(data, folder)).toBe(0);
    // Moved here by hand from 08:00: joining it would write into 08:00's folder.
    writeFileSync(join(folder, "ownstats-20261129T085959000Z-0123456789ab.gz"), gzipSync(`${record(2)}\n`));
    expect(await compactHourFolder(data, folder)).toBe(0);
    expect(readdirSync(folder)).toHaveLength(2);
  });

  it("joins nothing of an hour whose objects cannot all be read, and says so once", async () => {
    const data = tempFolder("ownstats-compact-");
    await writeRawObject(data, [record(1)], at(5));
    const folder = join(data, rawPartition(hour));
    writeFileSync(join(folder, "ownstats-20261129T092000000Z-0123456789ab.gz"), "cut short");
    const lines: string[] = [];
    const compaction = pastHours(data, lines);
    const after = hour.getTime() + 3 * 3_600_000;
    await compaction.run(after);
    await compaction.run(after);
    expect(readdirSync(folder)).toHaveLength(2);
    expect(lines).toEqual([`raw: left the objects of ${folder} as they are: incorrect header check`]);
  });

  it("goes on from the hour where the last run stopped, across a month's end, and never back", async () => {
    const data = tempFolder("ownstats-compact-");
    const hours = ["2026-10-31T23:00:00Z", "2026-11-01T00:00:00Z", "2026-11-01T05:00:00Z"].map(
      (t) => new Date(t),
    );
    const twoObjects = async (start: Date) => {
      await writeRawObject(data, [record(1)], new Date(start.getTime() + 1000));
      await writeRawObject(data, [record(2)], new Date(start.getTime() + 2000));
    };
    for (const start of hours) await twoObjects(start);
    const joined: string[] = [];
    const compaction = pastHours(data, joined);
    const objects = (start: Date) => readdirSync(join(data, rawPartition(start))).length;
    const after = new Date("2026-11-02T00:00:00Z").getTime();
    await compaction.run(after, 1);
    expect(hours.map(objects)).toEqual([1, 2, 2]);
    // An hour before the one the last run stopped at, filled since, is not looked at again.
    await twoObjects(new Date("2026-10-15T10:00:00Z"));
    await compaction.run(after, 1);
    await compaction.run(after, 1);
    expect(hours.map(objects)).toEqual([1, 1, 1]);
    expect(objects(new Date("2026-10-15T10:00:00Z"))).toBe(2);
    expect(joined).toHaveLength(3);
  });
});
