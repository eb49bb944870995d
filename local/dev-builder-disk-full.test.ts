// The dev server's build on a disk that has filled since the last one: the line it prints names the
// file the disk refused, and does not send the reader to a run_results.json that build never wrote.
import { describe, expect, it } from "vitest";
import { tempProject } from "../runner/testkit.ts";
import { canMountTmpfs, runScriptUnder, tmpfsAt } from "../test/user-namespace.ts";

const builderModule = new URL("./dev-builder.ts", import.meta.url).href;

/**
 * Runs `steps` in a Node whose data folder is a 32 MiB tmpfs, with a one-model project, `builder` an
 * IncrementalBuilder with `options` logging into `lines`, and `fill()` / `unfill()` filling the disk
 * and making room again; the script prints its result as JSON. What it printed, parsed.
 */
function underSmallDisk(options: string, steps: string) {
  const p = tempProject({ "m.sql": "select 1 as id" });
  const script = `
    const { rmSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { IncrementalBuilder } = await import(${JSON.stringify(builderModule)});
    const data = ${JSON.stringify(p.data)};
    const lines = [];
    const builder = new IncrementalBuilder({
      data, models: ${JSON.stringify(p.models)}, log: (l) => lines.push(l), ${options}
    });
    const fill = () => { try { writeFileSync(join(data, "fill"), Buffer.alloc(64 << 20)); } catch {} };
    const unfill = () => rmSync(join(data, "fill"));
    ${steps}`;
  const child = runScriptUnder(tmpfsAt(p.data, "size=32m"), script, 60_000);
  expect(child.stderr).toBe("");
  return { data: p.data, ...JSON.parse(child.stdout) };
}

describe("dev builder on a full disk", () => {
  it.skipIf(!canMountTmpfs)(
    "names the file it could not write, and works again once there is room",
    () => {
      const { data, outcomes, lines } = underSmallDisk(
        "",
        `const outcomes = [(await builder.buildNow("start")).ok];
        fill();
        outcomes.push((await builder.buildNow("full")).ok);
        unfill();
        outcomes.push((await builder.buildNow("room")).ok);
        await builder.stop();
        console.log(JSON.stringify({ outcomes, lines }));`,
      );
      expect(outcomes).toEqual([true, false, true]);
      // The builder renders the reports too, which this project has no models for: only its build lines count.
      const at = lines.findIndex((l: string) => l.includes("(full)"));
      const end = lines.findIndex((l: string, i: number) => i > at && !l.startsWith("  "));
      expect(lines[at]).toMatch(/^build \d\d:\d\d:\d\d UTC \(full\): FAILED \(exit 1\)/);
      expect(lines.slice(at + 1, end)).toEqual([
        `  failed: cannot write ${data}/target/manifest.json: its disk is full (ENOSPC); free some space`,
      ]);
    },
    90_000,
  );

  // Nothing new may land once room is made (the events are in raw/ already): the build that the full
  // disk failed is tried again by itself.
  it.skipIf(!canMountTmpfs)(
    "builds again by itself once there is room",
    () => {
      const { lines } = underSmallDisk(
        "settleMs: 0, minIntervalMs: 0, retryMs: 200,",
        `await builder.buildNow("start");
        fill();
        const until = async (what) => {
          for (let waited = 0; waited < 10000 && !lines.some(what); waited += 50)
            await new Promise((resolve) => setTimeout(resolve, 50));
        };
        builder.notify();
        await until((l) => l.includes("FAILED"));
        unfill();
        await until((l) => l.includes("again after a full disk): models and tests ok"));
        await builder.stop();
        console.log(JSON.stringify({ lines }));`,
      );
      const built = lines.filter((l: string) => l.startsWith("build "));
      expect(built.at(-1)).toMatch(
        /^build \d\d:\d\d:\d\d UTC \(again after a full disk\): models and tests ok/,
      );
    },
    90_000,
  );
});
