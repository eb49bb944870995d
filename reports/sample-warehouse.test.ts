import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { tempFolder } from "../test/temp-folders.ts";
import { sampleDataFolder } from "./sample-warehouse.ts";

describe("sampleDataFolder", () => {
  it("leaves no folder behind when the SQL that changes the sample fails", async () => {
    const saved = process.env.TMPDIR;
    // A temp folder of its own, so that folders of other tests running meanwhile do not count.
    const parent = tempFolder("ownstats-sample-parent-");
    process.env.TMPDIR = parent;
    try {
      await expect(sampleDataFolder("DELETE FROM no_such_table")).rejects.toThrow(/no_such_table/);
    } finally {
      process.env.TMPDIR = saved;
    }
    expect(readdirSync(parent)).toEqual([]);
  });
});
