import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ownstats } from "../cli-run.ts";
import { tempProject } from "./testkit.ts";

describe("-f", () => {
  it("is --full-refresh in run and build, as dbt's short name for it", async () => {
    const p = tempProject({
      "inc.sql":
        '{{config materialized="incremental" unique_key="id" watermark="ts"}}\nselect 1 as id, now() as ts',
    });
    for (const step of ["run", "build"]) {
      const { code } = await ownstats(step, "-f", "--data", p.data, "--models", p.models);
      expect(code, step).toBe(0);
      const results = JSON.parse(readFileSync(join(p.data, "target", "run_results.json"), "utf8"));
      expect(results.args, step).toMatchObject({ which: step, full_refresh: true });
    }
  });
});
