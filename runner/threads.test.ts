import { describe, expect, it } from "vitest";
import { ownstats } from "../cli-run.ts";
import { tempProject } from "./testkit.ts";

describe("--threads", () => {
  it("runs a dbt command line that gives it, saying that nodes run one at a time, and refuses a bad count", async () => {
    const p = tempProject({ "orders.sql": "select 1 as id" });
    const { code, stdout } = await ownstats(
      "build",
      "--threads",
      "8",
      "--data",
      p.data,
      "--models",
      p.models,
    );
    expect(code).toBe(0);
    expect(stdout).toContain(
      "Concurrency: 1 thread (--threads 8: the warehouse's one connection runs one node at a time)",
    );
    const bad = await ownstats("run", "--threads", "0", "--data", p.data, "--models", p.models);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--threads must be");
  });
});
