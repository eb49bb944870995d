// The artifacts are replaced whole: a reader never sees one cut short by a run writing it.

import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempFolder } from "../test/temp-folders.ts";
import { canMountTmpfs, fullAt, runScriptUnder } from "../test/user-namespace.ts";
import { writeJson } from "./artifacts.ts";
import { runProject } from "./index.ts";
import { tempProject } from "./testkit.ts";

const artifactsModule = new URL("./artifacts.ts", import.meta.url).href;

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

  // Each build has its own temporary name: one left by every build a full disk stopped would hold
  // space that nothing ever frees.
  it.skipIf(!canMountTmpfs)(
    "on a full disk removes what it had written and names the artifact it could not write",
    () => {
      const folder = tempFolder("ownstats-artifacts-full-");
      const target = join(folder, "target");
      const script = `
        const { readdirSync } = await import("node:fs");
        const { writeJson } = await import(${JSON.stringify(artifactsModule)});
        let refused;
        try {
          writeJson(${JSON.stringify(target)}, "manifest.json", { nodes: "x".repeat(100000) });
        } catch (error) {
          refused = { code: error.code, path: error.path };
        }
        console.log(JSON.stringify({ refused, left: readdirSync(${JSON.stringify(target)}) }));`;
      const child = runScriptUnder(fullAt(folder), script, 20_000);
      expect(child.stderr).toBe("");
      const { refused, left } = JSON.parse(child.stdout);
      expect(left).toEqual([]);
      expect(refused).toEqual({ code: "ENOSPC", path: join(target, "manifest.json") });
    },
  );
});

describe("a run whose run_results.json cannot be written", () => {
  // On a full disk the models' commits fail first and the artifact after them: the summary says why
  // each model failed (DuckDB names the warehouse file and the disk's refusal), so it comes first.
  it("still prints its summary, with each error, before it stops", async () => {
    const p = tempProject({
      "fine.sql": "select 1 as id",
      "broken.sql": "select * from no_such_table",
    });
    mkdirSync(join(p.data, "target", "run_results.json", "in-the-way"), { recursive: true });
    const lines: string[] = [];
    const running = runProject("build", {
      data: p.data,
      models: p.models,
      fullRefresh: false,
      log: (l) => lines.push(l),
    });
    await expect(running).rejects.toThrow();
    expect(lines).toContain("Runtime Error in model broken (models/broken.sql:1)");
    expect(lines.some((l) => l.startsWith("Done. PASS=1 WARN=0 ERROR=1"))).toBe(true);
  });
});
