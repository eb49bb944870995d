// `ownstats build` and `ownstats report` while another process (a build started by cron, the dev
// server, a long query) has the warehouse open.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ownstats } from "../cli-run.ts";
import { writeDemo } from "../local/demo.ts";
import { holdWarehouse } from "../runner/testkit.ts";
import { tempFolder } from "./temp-folders.ts";

const lockedBy = /Conflicting lock is held in/;
let data: string;
let holder: { release(): void } | undefined;

beforeAll(async () => {
  data = tempFolder("ownstats-held-");
  await writeDemo({ data, visitors: 20, days: 2, seed: 5, now: "2026-03-01T00:00:00Z" });
  holder = await holdWarehouse(data);
});

afterAll(() => {
  holder?.release();
});

describe("a warehouse another process holds", () => {
  it("stops `build` with one line that says so, and renders no report it would refuse the same way", async () => {
    const { code, stdout, stderr } = await ownstats("build", "--data", data);
    const output = stdout + stderr;
    expect(code).toBe(1);
    expect(output).toContain("Cannot build: another process has the warehouse open");
    expect(output.match(new RegExp(lockedBy, "g"))).toHaveLength(1);
    expect(output).not.toContain("report:");
  });

  it("says the same of `report` on its own, keeping DuckDB's words", async () => {
    const { code, stderr } = await ownstats("report", "--data", data);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^report: another process has the warehouse open \(a running `ownstats dev` renders the reports itself: stop it, or wait for the other command\)\. IO Error: Could not set lock on file /,
    );
    expect(stderr).toMatch(lockedBy);
  });
});
