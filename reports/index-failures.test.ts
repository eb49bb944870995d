// renderSite when things go wrong: a failing query, models never built, no warehouse, and two
// renders of one folder at once. Each leaves the site on disk whole.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openWarehouse } from "../runner/warehouse.ts";
import { tempFolder } from "../test/temp-folders.ts";
import { buildSite, ReportQueryError, renderSite } from "./index.ts";
import { sampleDataFolder } from "./sample-warehouse.ts";

const folders: string[] = [];

afterEach(() => {
  vi.restoreAllMocks();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe("renderSite failures", () => {
  it("fails naming the page and the query, and leaves the previous site as it was", async () => {
    const data = await sampleDataFolder();
    folders.push(data);
    expect(await renderSite({ data, days: 28 })).toBe(0);
    const before = statSync(join(data, "site", "index.html")).mtimeMs;
    const warehouse = await openWarehouse(data);
    // A funnel table of another shape: the page's query fails.
    await warehouse.run("DROP TABLE funnel");
    await warehouse.run("CREATE TABLE funnel AS SELECT 1 AS unrelated");
    warehouse.close();
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((message: string) => void errors.push(message));
    expect(await renderSite({ data, days: 28 })).toBe(1);
    expect(errors.join("\n")).toMatch(/page "funnel\.html", query "(period_)?funnel" failed: Binder Error/);
    expect(statSync(join(data, "site", "index.html")).mtimeMs).toBe(before);
    expect(statSync(join(data, "site", "data", "daily.parquet")).mtimeMs).toBeLessThanOrEqual(before);
    expect(readdirSync(join(data, "site", "data")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    await expect(buildSite({ data, days: 28 })).rejects.toBeInstanceOf(ReportQueryError);
  });

  it("renders one site at a time when two renders of one folder overlap", async () => {
    const data = await sampleDataFolder();
    folders.push(data);
    const [a, b] = await Promise.all([buildSite({ data, days: 28 }), buildSite({ data, days: 7 })]);
    expect(a.files.length).toBe(b.files.length);
    // The later render wins: its period is the one on disk.
    expect(readFileSync(join(data, "site", "index.html"), "utf8")).toContain("(7 days)");
    expect(readdirSync(join(data, "site")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("removes the temporary files a render killed mid-write left, and nothing else", async () => {
    const data = await sampleDataFolder();
    folders.push(data);
    expect(await renderSite({ data, days: 28 })).toBe(0);
    const site = join(data, "site");
    // What a render stopped between writing a file and renaming it leaves: a page, a CSV file, a
    // mart's Parquet export, an engine file, and its bundle.
    const leftovers = [
      "index.html.4242-0a1b2c3d.tmp",
      "csv/pages-top-pages.csv.4242-0a1b2c3d.tmp",
      "data/daily.parquet.4242-deadbeef.tmp",
      "duckdb/duckdb-eh.wasm.4242.tmp",
      "duckdb/duckdb-wasm.js.4242.tmp",
    ];
    const others = ["notes.tmp", "drafts/plan.tmp", "data/readme.txt"];
    for (const path of [...leftovers, ...others]) {
      mkdirSync(dirname(join(site, path)), { recursive: true });
      writeFileSync(join(site, path), "x");
    }
    await buildSite({ data, days: 28 });
    expect(leftovers.filter((path) => existsSync(join(site, path)))).toEqual([]);
    expect(others.filter((path) => existsSync(join(site, path)))).toEqual(others);
  });

  it("says what is missing when the models were never built", async () => {
    const data = tempFolder("ownstats-report-empty-");
    folders.push(data);
    (await openWarehouse(data)).close();
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((message: string) => void errors.push(message));
    expect(await renderSite({ data, days: 28 })).toBe(1);
    expect(errors.join("\n")).toMatch(
      /^report: the warehouse has no stg_events, sessions, int_daily_sources, int_daily_attribution, int_daily_pages, int_daily_paths, int_goal_events, int_daily_funnel, daily, .*, anomalies: the reports read the models of ownstats' own project; build them with `ownstats build`$/,
    );
  });

  it("names a data folder without a warehouse, and leaves it as it was", async () => {
    const root = tempFolder("ownstats-report-none-");
    folders.push(root);
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((message: string) => void errors.push(message));
    const misspelt = join(root, "dta");
    expect(await renderSite({ data: misspelt, days: 28 })).toBe(1);
    expect(existsSync(misspelt)).toBe(false);
    const empty = join(root, "empty");
    mkdirSync(empty);
    expect(await renderSite({ data: empty, days: 28 })).toBe(1);
    expect(readdirSync(empty)).toEqual([]);
    const file = join(root, "file");
    writeFileSync(file, "");
    expect(await renderSite({ data: file, days: 28 })).toBe(1);
    expect(errors).toEqual([
      `report: no data folder ${misspelt}: run \`ownstats build --data ${misspelt}\` first`,
      `report: no warehouse in ${empty}: run \`ownstats build --data ${empty}\` first`,
      `report: --data ${file} is a file, not a data folder`,
    ]);
  });
});
