// The tracker's size as the README states it (the lead, the comparison table and the budget) is the
// size of the bundle the sources build now, so a change to the tracker brings its figures along.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { bundleTracker, GZIP_BUDGET_BYTES, sizes } from "../tracker/build.ts";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const figure = (pattern: RegExp) => Number(pattern.exec(readme)?.[1]?.replaceAll(",", ""));

it("gives the tracker's current size and budget", async () => {
  const code = await bundleTracker();
  const { raw, gzip } = sizes(code);
  // The gzip command's own deflate packs a few bytes differently from zlib's; the README gives both.
  const gzipCommand = execFileSync("gzip", ["-9", "-c"], { input: code }).length;
  expect({
    lead: figure(/\*\*([\d,]+) bytes\*\* gzipped/),
    command: figure(/([\d,]+) with the `gzip -9` command reading standard input/),
    minified: figure(/file name; ([\d,]+) bytes minified/),
    table: figure(/\*\*ownstats `analytics\.js`\*\* *\| \*\*([\d,]+)\*\*/),
    budget: figure(/a test fails the build above ([\d,]+) bytes/),
  }).toEqual({ lead: gzip, command: gzipCommand, minified: raw, table: gzip, budget: GZIP_BUDGET_BYTES });
});
