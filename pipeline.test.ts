// build = run + test + report, as the command runs it.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { interruptAt, tempProject } from "./runner/testkit.ts";

describe("ownstats build", () => {
  it("stops at Ctrl-C during the run, without rendering the reports afterwards", async () => {
    const p = tempProject({
      // Long enough to be running when the signal comes.
      "slow.sql":
        '{{config materialized="table"}}\nselect sum(a.range * b.range) as s from range(1000000) a, range(1000000) b',
    });
    const { code, output } = await interruptAt(
      ["build", "--data", p.data, "--models", p.models],
      "START sql table model main.slow",
    );
    expect(code, output).toBe(130);
    expect(output).toContain("Exited because of keyboard interrupt");
    expect(output).not.toMatch(/report:/);
    expect(existsSync(join(p.data, "site"))).toBe(false);
  }, 60_000);
});
