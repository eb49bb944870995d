import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ownstats } from "../cli-run.ts";
import { tempProject } from "./testkit.ts";

describe("--fail-fast (-x)", () => {
  it("skips what has not started after the first model error, says why, and records it", async () => {
    const p = tempProject({
      "a_broken.sql":
        "{{config materialized=\"table\"}}\nselect error('the upstream feed is malformed') as id",
      "b_fine.sql": "select 1 as id",
    });
    const { code, stdout } = await ownstats("run", "-x", "--data", p.data, "--models", p.models);
    expect(code).toBe(1);
    expect(stdout).toContain("Failing early (--fail-fast): model a_broken failed");
    expect(stdout).toContain("Done. PASS=0 WARN=0 ERROR=1 SKIP=1 TOTAL=2");
    const results = JSON.parse(readFileSync(join(p.data, "target", "run_results.json"), "utf8"));
    expect(results.args).toMatchObject({ which: "run", fail_fast: true });
    expect(results.results.map((r: { status: string; message: string }) => [r.status, r.message])).toEqual([
      ["error", expect.stringContaining("the upstream feed is malformed")],
      ["skipped", "skipped: --fail-fast stopped the run after a_broken failed"],
    ]);
    // Without it the independent model is still built, as before.
    expect((await ownstats("run", "--data", p.data, "--models", p.models)).stdout).toContain(
      "Done. PASS=1 WARN=0 ERROR=1 SKIP=0 TOTAL=2",
    );
  });
});
