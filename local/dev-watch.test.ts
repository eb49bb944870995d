// The dev server's watch on DATA/raw/: an object replaced under its name (sync fetching a changed
// object again) is reported as removed and new, so its old events leave the models.
import { existsSync, mkdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it, vi } from "vitest";
import { tempFolder } from "../test/temp-folders.ts";
import { RawWatcher } from "./dev-watch.ts";
import { rawPartition } from "./raw-object.ts";

// What the watcher looks at ("stat <path>", "readdir <path>"), and folders whose time and change time
// a test holds still, as a file system with coarse times shows them.
const { looked, frozen } = vi.hoisted(() => ({ looked: [] as string[], frozen: new Map<string, number>() }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>();
  return {
    ...actual,
    stat: async (path: string) => {
      looked.push(`stat ${path}`);
      const stats = await actual.stat(path);
      const time = frozen.get(path);
      return time === undefined ? stats : Object.assign(stats, { mtimeMs: time, ctimeMs: time });
    },
    readdir: (path: string, ...rest: unknown[]) => {
      looked.push(`readdir ${path}`);
      return (actual.readdir as (...args: unknown[]) => unknown)(path, ...rest);
    },
  };
});

describe("raw watcher", () => {
  it("reports an object replaced under its name, at another size or time, as removed and new", async () => {
    const data = tempFolder("ownstats-watch-");
    const folder = join(data, rawPartition(new Date(Date.now() - 10 * 3_600_000)));
    const object = join(folder, "events.gz");
    mkdirSync(folder, { recursive: true });
    writeFileSync(object, gzipSync('{"event_id":"a"}\n'));
    const seen: string[] = [];
    const watcher = await new RawWatcher({
      data,
      onNew: (files) => seen.push(...files.map((file) => `new ${file}`)),
      onRemoved: (files) => seen.push(...files.map((file) => `removed ${file}`)),
      fullEveryMs: 0,
    }).start();
    watcher.stop();
    expect(await watcher.scan()).toEqual([]);

    // As sync writes it: a new file under a temporary name, renamed over the old one.
    writeFileSync(`${object}.part`, gzipSync('{"event_id":"a"}\n{"event_id":"b"}\n'));
    renameSync(`${object}.part`, object);
    expect(await watcher.scan()).toEqual([object]);
    expect(seen).toEqual([`removed ${object}`, `new ${object}`]);
    expect(await watcher.scan()).toEqual([]);

    // The same size, written again later.
    seen.length = 0;
    const later = new Date(Date.now() + 60_000);
    writeFileSync(`${object}.part`, gzipSync('{"event_id":"a"}\n{"event_id":"c"}\n'));
    utimesSync(`${object}.part`, later, later);
    renameSync(`${object}.part`, object);
    expect(await watcher.scan()).toEqual([object]);
    expect(seen).toEqual([`removed ${object}`, `new ${object}`]);
  });
});

/** Hour folders `hours` hours back, each holding `objects` objects; their times and the folders' are an hour old. */
function rawHours(data: string, hours: number[], objects: number): string[] {
  const old = new Date(Date.now() - 3_600_000);
  return hours.map((back) => {
    const folder = join(data, rawPartition(new Date(Date.now() - back * 3_600_000)));
    mkdirSync(folder, { recursive: true });
    for (let i = 0; i < objects; i++) {
      writeFileSync(join(folder, `events-${i}.gz`), gzipSync(`{"n":${i}}\n`));
      utimesSync(join(folder, `events-${i}.gz`), old, old);
    }
    utimesSync(folder, old, old);
    return folder;
  });
}

/** A watcher that records what it reports, started on `data` (its full scan on every call). */
async function watch(data: string) {
  const seen = { new: [] as string[], removed: [] as string[] };
  const watcher = await new RawWatcher({
    data,
    onNew: (files) => seen.new.push(...files),
    onRemoved: (files) => seen.removed.push(...files),
    fullEveryMs: 0,
  }).start();
  watcher.stop();
  const look = async () => {
    seen.new.length = 0;
    seen.removed.length = 0;
    const landed = await watcher.scan();
    return { landed: landed.sort(), new: seen.new.sort(), removed: seen.removed.sort() };
  };
  return { watcher, look };
}

describe("raw watcher's full scan", () => {
  it("looks at each hour folder, not at the objects of the folders that did not change", async () => {
    const data = tempFolder("ownstats-watch-");
    const folders = rawHours(data, [5, 6, 7, 30, 31], 40);
    const { look } = await watch(data);
    looked.length = 0;
    expect(await look()).toEqual({ landed: [], new: [], removed: [] });
    const objectsStated = looked.filter((call) => call.startsWith("stat ") && call.endsWith(".gz"));
    expect(objectsStated).toEqual([]);
    const hoursListed = looked.filter((call) => call.startsWith("readdir ") && /hour=\d\d$/.test(call));
    expect(hoursListed).toEqual([]);
    for (const folder of folders) expect(looked).toContain(`stat ${folder}`);
  });

  it("lists again only the folder an object was renamed into", async () => {
    const data = tempFolder("ownstats-watch-");
    const [changed, unchanged] = rawHours(data, [5, 6], 3) as [string, string];
    const { look } = await watch(data);
    writeFileSync(join(changed, "next.gz.tmp"), gzipSync('{"n":9}\n'));
    renameSync(join(changed, "next.gz.tmp"), join(changed, "next.gz"));
    looked.length = 0;
    expect(await look()).toMatchObject({ landed: [join(changed, "next.gz")], removed: [] });
    expect(looked).toContain(`readdir ${changed}`);
    expect(looked).not.toContain(`readdir ${unchanged}`);
    expect(looked.filter((call) => call.startsWith(`stat ${unchanged}/`))).toEqual([]);
  });

  it("reports an object renamed over another of the same size and time as removed and new", async () => {
    const data = tempFolder("ownstats-watch-");
    const [folder] = rawHours(data, [8], 2) as [string];
    const object = join(folder, "events-0.gz");
    const { look } = await watch(data);
    // As sync writes it, with the bytes and the modification time of the object it replaces.
    const was = statSync(object);
    writeFileSync(`${object}.part`, gzipSync('{"n":7}\n'));
    utimesSync(`${object}.part`, was.atime, was.mtime);
    expect(statSync(`${object}.part`).mtimeMs).toBe(was.mtimeMs);
    renameSync(`${object}.part`, object);
    expect(statSync(object).size).toBe(was.size);
    expect(await look()).toEqual({ landed: [object], new: [object], removed: [object] });
    expect(await look()).toEqual({ landed: [], new: [], removed: [] });
  });

  it("reports an object deleted from an old hour as removed", async () => {
    const data = tempFolder("ownstats-watch-");
    const [folder] = rawHours(data, [40], 3) as [string];
    const { look } = await watch(data);
    rmSync(join(folder, "events-1.gz"));
    expect(await look()).toEqual({ landed: [], new: [], removed: [join(folder, "events-1.gz")] });
    expect(await look()).toEqual({ landed: [], new: [], removed: [] });
  });

  it("reports the objects of a new hour folder, and of a new day, as new", async () => {
    const data = tempFolder("ownstats-watch-");
    rawHours(data, [3], 1);
    const { look } = await watch(data);
    const [sameDay, newDay] = rawHours(data, [4, 24 * 9], 2) as [string, string];
    const objects = [sameDay, newDay].flatMap((folder) => [0, 1].map((i) => join(folder, `events-${i}.gz`)));
    expect(await look()).toEqual({ landed: objects.sort(), new: objects, removed: [] });
    expect(await look()).toEqual({ landed: [], new: [], removed: [] });
  });

  it("reports the objects of an hour folder or a day folder deleted as removed", async () => {
    const data = tempFolder("ownstats-watch-");
    const [hour, dayHour, kept] = rawHours(data, [24 * 20, 24 * 30, 24 * 40], 2) as [string, string, string];
    const { look } = await watch(data);
    rmSync(hour, { recursive: true });
    rmSync(dirname(dayHour), { recursive: true });
    const objects = [hour, dayHour].flatMap((folder) => [0, 1].map((i) => join(folder, `events-${i}.gz`)));
    expect(await look()).toEqual({ landed: [], new: [], removed: objects.sort() });
    expect(await look()).toEqual({ landed: [], new: [], removed: [] });
    expect(existsSync(kept)).toBe(true);
  });

  it("lists a folder again while its time may not yet show a change made in the same tick", async () => {
    const data = tempFolder("ownstats-watch-");
    const [folder] = rawHours(data, [12], 1) as [string];
    // A file system whose folder times move in steps: the folder keeps one time and change time
    // while objects land in it.
    const tick = Date.now();
    frozen.set(folder, tick);
    const { look } = await watch(data);
    writeFileSync(join(folder, "second.gz"), gzipSync('{"n":2}\n'));
    expect(await look()).toMatchObject({ new: [join(folder, "second.gz")] });
    writeFileSync(join(folder, "third.gz"), gzipSync('{"n":3}\n'));
    expect(await look()).toMatchObject({ new: [join(folder, "third.gz")] });
    // Long after its time, a folder whose time did not move is not listed again.
    frozen.set(folder, tick - 60_000);
    expect(await look()).toEqual({ landed: [], new: [], removed: [] });
    looked.length = 0;
    expect(await look()).toEqual({ landed: [], new: [], removed: [] });
    expect(looked).not.toContain(`readdir ${folder}`);
    frozen.delete(folder);
  });
});

describe("raw watcher between full scans", () => {
  it("reports what lands in the last two hour folders, and leaves older hours to the full scan", async () => {
    const data = tempFolder("ownstats-watch-");
    const [previous, old] = rawHours(data, [1, 30], 1) as [string, string];
    const seen: string[] = [];
    const watcher = await new RawWatcher({ data, onNew: (files) => seen.push(...files) }).start();
    watcher.stop();
    // The delivery's first object of a new hour makes its folder.
    const current = join(data, rawPartition(new Date()));
    mkdirSync(current, { recursive: true });
    for (const folder of [current, previous, old]) writeFileSync(join(folder, "late.gz"), gzipSync("{}\n"));
    looked.length = 0;
    expect((await watcher.scan()).sort()).toEqual(
      [join(current, "late.gz"), join(previous, "late.gz")].sort(),
    );
    expect(looked.filter((call) => call.includes(old))).toEqual([]);
    expect(await watcher.scan()).toEqual([]);
    expect(seen.sort()).toEqual([join(current, "late.gz"), join(previous, "late.gz")].sort());
  });
});
