// `ownstats report` on a disk that fills while it writes the site: the file it could not write is named
// with the disk's refusal, and the pages already there stay as they were.
import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ownstats, ownstatsUnder } from "../cli-run.ts";
import { closeWarehouseFiles } from "../runner/warehouse.ts";
import { canMountTmpfs, fullAt } from "../test/user-namespace.ts";
import { sampleDataFolder } from "./sample-warehouse.ts";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe("ownstats report on a full disk", () => {
  // The marts' exports and the engine land first, then the pages' files: a full file system on the
  // assets' folder alone refuses the first of these.
  it.skipIf(!canMountTmpfs)(
    "names the file it could not write and the full disk, and exits 1",
    async () => {
      const data = await sampleDataFolder();
      folders.push(data);
      // The command runs in a process of its own: this one lets go of the warehouse it made.
      await closeWarehouseFiles();
      const first = await ownstats("report", "--data", data);
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      const page = join(data, "site", "index.html");
      const before = statSync(page).mtimeMs;
      const assets = join(data, "site", "assets");
      mkdirSync(assets, { recursive: true });
      const result = await ownstatsUnder(fullAt(assets), {}, "report", "--data", data);
      expect(result.stderr.trim()).toBe(
        `report: cannot write ${join(assets, "style.css")}: its disk is full (ENOSPC); free some space`,
      );
      expect(result.code).toBe(1);
      expect(statSync(page).mtimeMs).toBe(before);
      expect(readdirSync(join(data, "site")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    },
    60_000,
  );
});
