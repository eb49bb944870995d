// Ephemeral models, as dbt's: built for the run only (a temporary view of its connection), read by
// their dependents and tests, never left in the warehouse.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { event, run, tempProject, writeEvents, writeFiles } from "./testkit.ts";
import { openWarehouse } from "./warehouse.ts";

const files = {
  "staging/visits.sql":
    '{{config materialized="ephemeral"}}\nselect event_id, page_path from {{source "events"}} where event_type = \'page_view\'',
  "marts/pages.sql":
    '{{config materialized="table"}}\nselect page_path, count(*) as views from {{ref "visits"}} group by 1',
  "schema.yml":
    "models:\n  - name: visits\n    columns:\n      - name: event_id\n        tests: [unique, not_null]\n",
};

function project(overrides: Record<string, string> = {}) {
  const p = tempProject({ ...files, ...overrides });
  writeEvents(p.data, new Date("2026-03-01T05:00:00Z"), [
    event("a", "2026-03-01T05:10:00Z"),
    event("b", "2026-03-01T05:11:00Z", { page_path: "/pricing" }),
    event("c", "2026-03-01T05:12:00Z", { event_type: "cta_click" }),
  ]);
  return p;
}

async function relations(data: string) {
  const wh = await openWarehouse(data);
  const rows = await wh.all<{ name: string }>(
    "select table_name as name from duckdb_tables() union all select view_name from duckdb_views() where not internal order by 1",
  );
  wh.close();
  return rows.map((r) => r.name);
}

describe("ephemeral models", () => {
  it("are built for the run, read by their dependents and tests, and leave nothing in the warehouse", async () => {
    const p = project();
    const { code, lines } = await run("build", p);
    expect(code).toBe(0);
    expect(lines.some((l) => /^1 of 4 OK created sql ephemeral model temp\.visits \.+ \[OK in/.test(l))).toBe(
      true,
    );
    expect(lines.at(-1)).toBe("Done. PASS=4 WARN=0 ERROR=0 SKIP=0 TOTAL=4");
    expect(await relations(p.data)).toEqual(["pages"]);
    const wh = await openWarehouse(p.data);
    expect(await wh.all("select * from pages order by 1")).toEqual([
      { page_path: "/", views: 1 },
      { page_path: "/pricing", views: 1 },
    ]);
    wh.close();
    const manifest = JSON.parse(readFileSync(join(p.data, "target", "manifest.json"), "utf8")) as {
      nodes: Record<string, { relation_name: string | null; config: { materialized: string } }>;
    };
    expect(manifest.nodes["model.demo.visits"]).toMatchObject({
      relation_name: null,
      config: { materialized: "ephemeral" },
    });
    const compiled = readFileSync(join(p.data, "target", "compiled", "models", "marts", "pages.sql"), "utf8");
    expect(compiled).toContain('from temp."visits"');
  });

  it("are built whenever a selected model or test reads them", async () => {
    const p = project();
    const pagesOnly = await run("run", p, { select: ["pages"] });
    expect(pagesOnly.code).toBe(0);
    expect(
      pagesOnly.lines.filter((l) => / (OK created|ERROR creating) /.test(l)).map((l) => l.split(" .")[0]),
    ).toEqual([
      "1 of 2 OK created sql ephemeral model temp.visits",
      "2 of 2 OK created sql table model main.pages",
    ]);
    // `test` runs no models, but the tests of an ephemeral model need it.
    const tests = await run("test", p, { select: ["visits"] });
    expect(tests.code).toBe(0);
    expect(tests.output).toMatch(/PASS unique_visits_event_id/);
    expect(tests.output).toMatch(/PASS not_null_visits_event_id/);
    // A test of pages reads the table, not what pages read: `test` builds nothing for it.
    writeFiles(p.models, {
      "schema.yml":
        "models:\n  - name: pages\n    columns:\n      - name: views\n        tests: [not_null]\n",
    });
    const pagesTests = await run("test", p, { select: ["pages"] });
    expect(pagesTests.output).not.toContain("ephemeral model");
    expect(pagesTests.lines.at(-1)).toBe("Done. PASS=1 WARN=0 ERROR=0 SKIP=0 TOTAL=1");
  });

  it("skip their dependents when they fail, naming the line", async () => {
    const p = project({
      "staging/visits.sql":
        '{{config materialized="ephemeral"}}\nselect event_id,\n  page_pth\nfrom {{source "events"}}',
    });
    const { code, lines } = await run("run", p);
    expect(code).toBe(1);
    expect(lines.some((l) => /ERROR creating sql ephemeral model temp\.visits/.test(l))).toBe(true);
    expect(lines.some((l) => /SKIP relation main\.pages/.test(l))).toBe(true);
    const results = JSON.parse(readFileSync(join(p.data, "target", "run_results.json"), "utf8")) as {
      results: { unique_id: string; status: string; adapter_response: { line?: number } }[];
    };
    const visits = results.results.find((r) => r.unique_id === "model.demo.visits");
    expect(visits?.status).toBe("error");
    expect(visits?.adapter_response.line).toBe(3);
  });
});
