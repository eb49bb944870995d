// `npm start` on an empty folder, or `ownstats demo` with its defaults, is a new user's first look: its
// overview compares the default period with the one before, whatever hour the demo ends at.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { tempFolder } from "./temp-folders.ts";

const root = tempFolder("ownstats-demo-period-");
afterAll(() => rmSync(root, { recursive: true, force: true }));

function ownstats(now: string, ...args: string[]): void {
  const result = spawnSync(
    process.execPath,
    [fileURLToPath(new URL("../bin/ownstats.js", import.meta.url)), ...args, "--data", root],
    { encoding: "utf8", env: { ...process.env, OWNSTATS_DEMO_NOW: now } },
  );
  expect(result.status, `${args[0]}: ${result.stderr}`).toBe(0);
}

it("fills the default period and the whole one before it, also when the demo ends at midnight", () => {
  // At midnight the latest data is the day before's: the period before starts at a midnight the
  // demo's first hours, quiet ones, would not reach with exactly two periods of history.
  ownstats("2026-11-29T00:00:00Z", "demo");
  ownstats("2026-11-29T00:00:00Z", "build");
  const overview = readFileSync(join(root, "site", "index.html"), "utf8");
  expect(overview).not.toContain("only partly in the data");
  expect(overview.match(/vs previous period/g)?.length).toBe(7);
});
