import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { rawPartition, removeStaleTemporaries, writeRawObject } from "./raw-object.ts";

let data: string;
beforeEach(async () => {
  data = await mkdtemp(join(tmpdir(), "ownstats-raw-"));
});
afterEach(async () => {
  await rm(data, { recursive: true, force: true });
});

describe("writeRawObject", () => {
  it("writes gzip NDJSON under the arrival hour in UTC", async () => {
    const arrival = new Date("2026-03-04T05:59:59.999Z");
    const lines = [JSON.stringify({ event_id: "a" }), JSON.stringify({ event_id: "b", note: "é\n" })];
    const path = await writeRawObject(data, lines, arrival);
    expect(relative(data, path).split(sep).slice(0, 5)).toEqual([
      "raw",
      "year=2026",
      "month=03",
      "day=04",
      "hour=05",
    ]);
    expect(path.endsWith(".gz")).toBe(true);
    const text = gunzipSync(await readFile(path)).toString("utf8");
    expect(text).toBe(`${lines[0]}\n${lines[1]}\n`);
    expect(
      text
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l).event_id),
    ).toEqual(["a", "b"]);
  });

  it("leaves no temporary file behind and never reuses a name", async () => {
    const arrival = new Date("2026-12-31T23:00:00Z");
    const paths = await Promise.all([1, 2, 3].map((i) => writeRawObject(data, [`{"i":${i}}`], arrival)));
    expect(new Set(paths).size).toBe(3);
    const files = await readdir(join(data, rawPartition(arrival)));
    expect(files.sort()).toEqual(paths.map((p) => p.split(sep).pop()).sort());
    expect(files.every((f) => f.endsWith(".gz") && !f.startsWith("."))).toBe(true);
  });

  it("uses UTC, not the machine's zone, for the folder", () => {
    expect(rawPartition(new Date("2026-01-01T00:30:00+02:00"))).toBe(
      join("raw", "year=2025", "month=12", "day=31", "hour=22"),
    );
  });

  it("rejects an invalid date with a clear error", async () => {
    await expect(writeRawObject(data, ["{}"], new Date("nope"))).rejects.toThrow(/valid arrival date/);
  });
});

describe("removeStaleTemporaries", () => {
  it("removes the temporary files a killed writer left, and none still being written", async () => {
    const kept = await writeRawObject(data, ["{}"], new Date("2026-03-04T05:00:00Z"));
    const folder = join(data, rawPartition(new Date("2026-03-04T05:00:00Z")));
    const stale = join(folder, "ownstats-20260304T050000000Z-aaaaaaaaaaaa.gz.tmp");
    const young = join(folder, "ownstats-20260304T050000000Z-bbbbbbbbbbbb.gz.tmp");
    await writeFile(stale, "half an objec");
    await writeFile(young, "being writ");
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(stale, hourAgo, hourAgo);
    expect(await removeStaleTemporaries(data)).toBe(1);
    expect((await readdir(folder)).sort()).toEqual([kept.split(sep).pop(), young.split(sep).pop()].sort());
  });

  it("finds nothing to do in a data folder without raw objects", async () => {
    expect(await removeStaleTemporaries(data)).toBe(0);
    await mkdir(join(data, "raw"));
    expect(await removeStaleTemporaries(data)).toBe(0);
  });
});
