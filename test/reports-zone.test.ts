// The reports in the zone the warehouse was built with (var timezone, recorded in daily and
// cohorts): the period's days, the last day's cut, "built at" and every time shown read that zone's
// clock and name it; a warehouse whose tables disagree is refused rather than labelled.
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pipelineStep } from "../pipeline.ts";
import { buildSite } from "../reports/index.ts";
import { runProject } from "../runner/index.ts";
import { build, ev, modelsDir, tempData, writeRaw } from "./models-kit.ts";

// 23:30 UTC on Monday 2 March is 00:30 on Tuesday 3 March in Berlin; 10:00 UTC is 11:00 there.
const events = [
  ev({ session_id: "night", visitor_id: "v1", event_ts: "2026-03-02T23:30:00Z" }),
  ev({ session_id: "morning", visitor_id: "v2", event_ts: "2026-03-03T10:00:00Z" }),
];
const now = new Date("2026-03-03T12:00:00Z");

async function siteBuiltIn(timezone?: string): Promise<(file: string) => string> {
  const data = tempData();
  await writeRaw(data, events);
  const built = await build(data, { step: "run", vars: timezone ? { timezone } : undefined });
  expect(built.code, built.output).toBe(0);
  await buildSite({ data, days: 1 }, now);
  return (file) => readFileSync(join(data, "site", file), "utf8");
}

/** A warehouse built in the project's UTC, then the selection again in Berlin. */
async function builtInTwoZones(select: string[]): Promise<string> {
  const data = tempData();
  await writeRaw(data, events);
  expect((await build(data, { step: "run" })).code).toBe(0);
  const again = await build(data, { step: "run", select, vars: { timezone: "Europe/Berlin" } });
  expect(again.code, again.output).toBe(0);
  return data;
}

/** A copy of the project whose project.yml builds in Berlin. */
function berlinProject(): string {
  const models = join(tempData(), "models");
  cpSync(modelsDir, models, { recursive: true });
  const project = join(models, "project.yml");
  writeFileSync(project, readFileSync(project, "utf8").replace("timezone: UTC", "timezone: Europe/Berlin"));
  return models;
}

const sessionsTile = (page: string) =>
  /<span class="kpi-label">Sessions<\/span>\s*<span class="kpi-value">(\d+)<\/span>/.exec(page)?.[1];

describe("reports in the warehouse's time zone", () => {
  it("count the period's days, cut its last day and show every time in Berlin, and say so", async () => {
    const html = await siteBuiltIn("Europe/Berlin");
    const overview = html("index.html");
    expect(overview).toContain(
      // In Berlin the night session started on Tuesday too: Monday holds no data to compare with.
      "2026-03-03 to 2026-03-03 (1 day); data from 2026-03-03 on, so no earlier period to compare with",
    );
    // Both sessions started on Tuesday in Berlin.
    expect(sessionsTile(overview)).toBe("2");
    expect(overview).toContain(
      "Data up to 2026-03-03 11:00 Europe/Berlin · built at 2026-03-03 13:00 Europe/Berlin",
    );
    expect(overview).toContain("all times Europe/Berlin.");
    expect(overview).toContain("it is counted only up to 11:00 Europe/Berlin.");
    expect(html("cohorts.html")).toContain("the week (Monday, Europe/Berlin) of their first session");
    expect(html("anomalies.html")).not.toMatch(/\bUTC\b/);
  });

  it("start the data at its first arrival: a visitor clock running two days behind does not fill the previous period", async () => {
    const data = tempData();
    await writeRaw(data, [
      ...events,
      // Sent on 3 March by a browser whose clock said 1 March (the collector takes up to 72 hours behind).
      ev({
        session_id: "slow-clock",
        visitor_id: "v3",
        event_ts: "2026-03-01T10:00:00Z",
        ingest_ts: "2026-03-03T10:05:00Z",
      }),
    ]);
    expect((await build(data, { step: "run" })).code).toBe(0);
    await buildSite({ data, days: 1 }, now);
    expect(readFileSync(join(data, "site", "index.html"), "utf8")).toContain(
      // The night session's 23:30 on 2 March is the first arrival: the day before is only partly there.
      "2026-03-03 to 2026-03-03 (1 day), compared with 2026-03-02 to 2026-03-02 (data from 2026-03-02 on)",
    );
  });

  it("stay in UTC for a warehouse built with the default", async () => {
    const html = await siteBuiltIn();
    const overview = html("index.html");
    expect(overview).toContain("both up to 10:00 UTC on their last day");
    // The night session started on Monday in UTC: the previous period's.
    expect(sessionsTile(overview)).toBe("1");
    expect(overview).toContain("Data up to 2026-03-03 10:00 UTC · built at 2026-03-03 12:00 UTC");
    expect(overview).toContain("all times UTC.");
  });

  it("refuse a warehouse whose days are in two zones, naming the tables", async () => {
    const data = await builtInTwoZones(["daily"]);
    await expect(buildSite({ data, days: 1 }, now)).rejects.toThrow(
      /time zone" failed: the warehouse's days are in more than one time zone \(cohorts in UTC, daily in Europe\/Berlin\): build every model with one timezone/,
    );
  });

  it("suggest the project's zone first when a selection rebuilt the tables it names first in another", async () => {
    const data = await builtInTwoZones(["+cohorts"]);
    const refused = await buildSite({ data, days: 1 }, now).then(
      () => "",
      (error: Error) => error.message,
    );
    expect(refused).toContain("(cohorts in Europe/Berlin, daily in UTC)");
    expect(refused).toMatch(
      /build every model with one timezone: ownstats build --vars '\{timezone: UTC\}' \(the project's\), or ownstats build --vars '\{timezone: Europe\/Berlin\}'$/,
    );
    // The command it suggests first mends the warehouse.
    expect((await build(data, { step: "run", vars: { timezone: "UTC" } })).code).toBe(0);
    await buildSite({ data, days: 1 }, now);
  });

  it("label a warehouse without any day yet with the zone its project.yml builds in", async () => {
    const models = berlinProject();
    const data = tempData();
    expect(await runProject("run", { data, models, fullRefresh: false, log: () => {} })).toBe(0);
    await buildSite({ data, days: 1, models }, now);
    const overview = readFileSync(join(data, "site", "index.html"), "utf8");
    expect(overview).toContain(
      "No data yet · built at 2026-03-03 13:00 Europe/Berlin · all times Europe/Berlin.",
    );
    expect(overview).not.toMatch(/\bUTC\b/);
  });

  it("label a warehouse that `build` made of another folder's project with that project's zone", async () => {
    const models = berlinProject();
    const data = tempData();
    const code = await pipelineStep("build", { data, models, days: 1, fullRefresh: false, log: () => {} });
    expect(code).toBe(0);
    const overview = readFileSync(join(data, "site", "index.html"), "utf8");
    expect(overview).toContain("all times Europe/Berlin.");
    expect(overview).not.toMatch(/\bUTC\b/);
  });

  it("label a warehouse without any day yet with the zone the --vars of its last whole run gave", async () => {
    const data = tempData();
    expect((await build(data, { step: "run", vars: { timezone: "Europe/Berlin" } })).code).toBe(0);
    await buildSite({ data, days: 1 }, now);
    expect(readFileSync(join(data, "site", "index.html"), "utf8")).toContain("all times Europe/Berlin.");
    // A selection built with another zone says nothing of the zone every model is built in.
    expect(
      (await build(data, { step: "run", select: ["daily"], vars: { timezone: "Asia/Tokyo" } })).code,
    ).toBe(0);
    await buildSite({ data, days: 1 }, now);
    expect(readFileSync(join(data, "site", "index.html"), "utf8")).toContain("all times UTC.");
  });

  it("label a warehouse with its project's zone after a --selector run built with another", async () => {
    const models = berlinProject();
    writeFileSync(join(models, "selectors.yml"), "selectors:\n  - name: days\n    definition: daily\n");
    const data = tempData();
    const run = (opts: { selector?: string; vars?: Record<string, unknown> }) =>
      runProject("run", { data, models, fullRefresh: false, log: () => {}, ...opts });
    expect(await run({})).toBe(0);
    expect(await run({ selector: "days", vars: { timezone: "Asia/Tokyo" } })).toBe(0);
    await buildSite({ data, days: 1, models }, now);
    expect(readFileSync(join(data, "site", "index.html"), "utf8")).toContain("all times Europe/Berlin.");
  });
});
