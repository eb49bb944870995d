// The README's figures about the demo data, checked on what `ownstats demo` writes with its defaults
// (DEMO_DEFAULTS: 2,000 visitors, 57 days, seed 1): the first thing a new user sees.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { writeDemo } from "../local/demo.ts";
import { DEMO_DEFAULTS } from "../local/demo-defaults.ts";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const data = mkdtempSync(join(tmpdir(), "ownstats-readme-demo-"));

afterAll(() => rmSync(data, { recursive: true, force: true }));

it("flags the share of bot events the README gives", async () => {
  const range = /about ([\d.]+)–([\d.]+) % of events from headless crawlers/.exec(readme);
  expect(range, "the README's bot share").not.toBeNull();
  const summary = await writeDemo({ data, ...DEMO_DEFAULTS, now: "2026-03-01T00:00:00Z" });
  const percent = (100 * summary.botEvents) / summary.events;
  expect(percent).toBeGreaterThanOrEqual(Number(range?.[1]));
  expect(percent).toBeLessThanOrEqual(Number(range?.[2]));
});
