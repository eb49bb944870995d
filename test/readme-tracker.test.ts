// The tracker's size as the README states it (the lead, the comparison table and the budget) is the
// size of the bundle the sources build now, so a change to the tracker brings its figures along.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { bundleTracker, GZIP_BUDGET_BYTES, sizes } from "../tracker/build.ts";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const figure = (pattern: RegExp) => Number(pattern.exec(readme)?.[1]?.replaceAll(",", ""));

it("gives the tracker's current size and budget", async () => {
  const { raw, gzip } = sizes(await bundleTracker());
  expect({
    lead: figure(/\*\*([\d,]+) bytes\*\* gzipped/),
    minified: figure(/gzip -9`; ([\d,]+) bytes minified/),
    table: figure(/\*\*ownstats `analytics\.js`\*\* *\| \*\*([\d,]+)\*\*/),
    budget: figure(/a test fails the build above ([\d,]+) bytes/),
  }).toEqual({ lead: gzip, minified: raw, table: gzip, budget: GZIP_BUDGET_BYTES });
});
