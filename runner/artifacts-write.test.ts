// The artifacts are replaced whole: a reader never sees one cut short by a run writing it.
import { closeSync, openSync, readdirSync, readFileSync, readSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempFolder } from "../test/temp-folders.ts";
import { writeJson } from "./artifacts.ts";

describe("writeJson", () => {
  it("replaces an artifact by rename: a reader that opened the previous file still reads all of it", () => {
    const target = tempFolder("ownstats-artifacts-");
    const previous = { nodes: "x".repeat(2_000) };
    writeJson(target, "manifest.json", previous);
    const reader = openSync(join(target, "manifest.json"), "r");
    try {
      writeJson(target, "manifest.json", { nodes: "new" });
      // Written in place, the open file would now hold the new, shorter text (or none of it yet).
      const buffer = Buffer.alloc(8_192);
      const length = readSync(reader, buffer, 0, buffer.length, 0);
      expect(JSON.parse(buffer.subarray(0, length).toString("utf8"))).toEqual(previous);
    } finally {
      closeSync(reader);
    }
    expect(JSON.parse(readFileSync(join(target, "manifest.json"), "utf8"))).toEqual({ nodes: "new" });
    expect(readdirSync(target)).toEqual(["manifest.json"]);
  });
});
