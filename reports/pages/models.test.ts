import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openWarehouse } from "../../runner/warehouse.ts";
import { buildSite } from "../index.ts";
import { sampleDataFolder } from "../sample-warehouse.ts";

const folders: string[] = [];

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function model(name: string, materialized: string) {
  return [
    `model.ownstats.${name}`,
    { resource_type: "model", name, config: { materialized }, depends_on: { nodes: [] }, columns: {} },
  ];
}

/** The sample warehouse's site, with a manifest that has daily alone, documenting `columns`. */
async function siteWithDailyColumns(columns: Record<string, object>): Promise<string> {
  const data = await sampleDataFolder();
  folders.push(data);
  mkdirSync(join(data, "target"));
  const daily = model("daily", "incremental");
  Object.assign(daily[1] as object, { columns });
  writeFileSync(
    join(data, "target", "manifest.json"),
    JSON.stringify({ nodes: Object.fromEntries([daily]) }),
  );
  await buildSite({ data, days: 28 });
  return data;
}

describe("models page", () => {
  it("counts each model's rows as they are after incremental runs replaced some", async () => {
    // Twenty hourly runs, each replacing the last day of daily as a time_range model does.
    const replacements = Array.from(
      { length: 20 },
      () => `
        DELETE FROM daily WHERE "date" >= DATE '2026-11-20';
        INSERT INTO daily SELECT DATE '2026-11-20', 1, 1, 1, 0, 0.0, 0.0;`,
    ).join("");
    const data = await sampleDataFolder(replacements);
    folders.push(data);
    mkdirSync(join(data, "target"));
    const manifest = {
      nodes: Object.fromEntries([
        model("daily", "incremental"),
        model("sessions", "incremental"),
        model("never_built", "table"),
      ]),
    };
    writeFileSync(join(data, "target", "manifest.json"), JSON.stringify(manifest));
    const warehouse = await openWarehouse(data);
    const [counts] = await warehouse.all(
      "SELECT (SELECT count(*) FROM daily) AS daily, (SELECT count(*) FROM sessions) AS sessions",
    );
    warehouse.close();
    await buildSite({ data, days: 28 });
    const page = readFileSync(join(data, "site", "models.html"), "utf8");
    const rowsOf = (name: string) =>
      page.match(
        new RegExp(`<tr><td>${name}</td>(?:<td[^>]*>[^<]*</td>){3}<td class="num">([^<]*)</td></tr>`),
      )?.[1];
    expect(rowsOf("daily")).toBe(Number(counts?.daily).toLocaleString("en-US"));
    expect(rowsOf("sessions")).toBe("3,000");
    expect(rowsOf("never_built")).toBe("–");
  });

  it("shows each column's type as the warehouse holds it, unless schema.yml gives one", async () => {
    const data = await siteWithDailyColumns({
      date: { name: "date", description: "The day." },
      sessions: { name: "sessions", description: "Sessions.", data_type: "HUGEINT" },
      gone: { name: "gone", description: "Documented, not in the table." },
    });
    const page = readFileSync(join(data, "site", "models.html"), "utf8");
    const typeOf = (column: string) =>
      page.match(new RegExp(`<tr><td>${column}</td><td>([^<]*)</td><td>`))?.[1];
    expect([typeOf("date"), typeOf("sessions"), typeOf("gone")]).toEqual(["DATE", "HUGEINT", "–"]);
  });

  it("lists the warehouse's columns that schema.yml does not describe, after those it does", async () => {
    const data = await siteWithDailyColumns({ sessions: { name: "sessions", description: "Sessions." } });
    const csv = readFileSync(join(data, "site", "csv", "models-daily-columns.csv"), "utf8");
    const lines = csv
      .replace(/^\ufeff/, "")
      .trim()
      .split("\r\n");
    expect(lines.slice(0, 4)).toEqual([
      "Column,Type,Meaning",
      "sessions,BIGINT,Sessions.",
      "date,DATE,Not described in schema.yml.",
      "visitors,BIGINT,Not described in schema.yml.",
    ]);
    expect(lines).toHaveLength(1 + 7);
  });

  it("gives the lineage graph as a folded table: each model, what it reads and its last run", async () => {
    const data = await sampleDataFolder();
    folders.push(data);
    mkdirSync(join(data, "target"));
    const node = (name: string, parents: string[]) => [
      `model.ownstats.${name}`,
      {
        resource_type: "model",
        name,
        config: { materialized: "table" },
        depends_on: { nodes: parents },
        columns: {},
      },
    ];
    const manifest = {
      nodes: Object.fromEntries([
        node("daily", ["model.ownstats.sessions"]),
        node("sessions", ["model.ownstats.stg_events"]),
        node("stg_events", ["source.ownstats.events.events"]),
      ]),
      sources: { "source.ownstats.events.events": { source_name: "events", name: "events" } },
    };
    const results = {
      metadata: { generated_at: "2026-11-20T23:00:00Z" },
      results: [
        { unique_id: "model.ownstats.stg_events", status: "success" },
        { unique_id: "model.ownstats.sessions", status: "error" },
        { unique_id: "model.ownstats.daily", status: "skipped" },
      ],
    };
    writeFileSync(join(data, "target", "manifest.json"), JSON.stringify(manifest));
    writeFileSync(join(data, "target", "run_results.json"), JSON.stringify(results));
    await buildSite({ data, days: 28 });
    const page = readFileSync(join(data, "site", "models.html"), "utf8");
    const figures = page.match(/<details><summary>[^<]*<\/summary>[\s\S]*?<\/details>/)?.[0] ?? "";
    const rows = [...figures.matchAll(/<tr><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)];
    expect(rows.map((m) => m.slice(1).join(" | "))).toEqual([
      "stg_events | source: events | success",
      "sessions | stg_events | error",
      "daily | sessions | skipped",
    ]);
    expect(page).toContain("✗ red with a dashed outline: failed or skipped");
  });

  it("gives each model its own anchor: names that differ only in punctuation do not share one", async () => {
    const data = await sampleDataFolder();
    folders.push(data);
    mkdirSync(join(data, "target"));
    const manifest = {
      nodes: Object.fromEntries([
        model("daily", "table"),
        model("visits-by-day", "table"),
        model("visits.by.day", "table"),
        model("visits by day", "table"),
      ]),
    };
    writeFileSync(join(data, "target", "manifest.json"), JSON.stringify(manifest));
    await buildSite({ data, days: 28 });
    const page = readFileSync(join(data, "site", "models.html"), "utf8");
    const sections = [...page.matchAll(/<section aria-labelledby="([^"]*)">\s*<h2 id="([^"]*)">([^<]*)</g)];
    const anchors = new Map(sections.map((m) => [m[3], m[2]]));
    for (const m of sections) expect(m[1], m[3]).toBe(m[2]);
    expect(anchors.get("daily")).toBe("model-daily");
    expect(anchors.get("visits-by-day")).toBe("model-visits-by-day");
    const ids = ["visits-by-day", "visits.by.day", "visits by day"].map((name) => anchors.get(name));
    expect(new Set(ids).size, ids.join(", ")).toBe(3);
  });
});
