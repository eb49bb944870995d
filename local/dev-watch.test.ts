// The dev server's watch on DATA/raw/: an object replaced under its name (sync fetching a changed
// object again) is reported as removed and new, so its old events leave the models.
import { mkdirSync, renameSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { tempFolder } from "../test/temp-folders.ts";
import { RawWatcher } from "./dev-watch.ts";
import { rawPartition } from "./raw-object.ts";

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
    utimesSync(object, later, later);
    expect(await watcher.scan()).toEqual([object]);
    expect(seen).toEqual([`removed ${object}`, `new ${object}`]);
  });
});
