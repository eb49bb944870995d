import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Manifest } from "./artifacts.ts";
import type { RunResults } from "./run-results.ts";
import { event, run, tempProject, writeEvents, writeFiles } from "./testkit.ts";
import { openWarehouse } from "./warehouse.ts";

const readJson = <T>(data: string, file: string) =>
  JSON.parse(readFileSync(join(data, "target", file), "utf8")) as T;

describe("runProject", () => {
  it("runs in DAG order with dbt's console lines and writes run results and the manifest", async () => {
    const p = tempProject({
      "staging/stg.sql": 'select event_id, page_path from {{source "events"}}',
      "marts/pages.sql":
        '{{config materialized="table"}}\nselect page_path, count(*) as views from {{ref "stg"}} group by 1',
      "schema.yml":
        "models:\n  - name: pages\n    description: One row per page\n    columns:\n      - name: page_path\n        description: The path\n        tests: [unique, not_null]\n",
    });
    writeEvents(p.data, new Date("2026-03-01T05:00:00Z"), [
      event("a", "2026-03-01T05:10:00Z"),
      event("b", "2026-03-01T05:11:00Z"),
    ]);
    const { code, lines } = await run("build", p);
    expect(code).toBe(0);
    expect(lines[0]).toBe("Found 2 models, 2 data tests, 1 source");
    expect(lines).toContain(
      "1 of 4 START sql view model main.stg ........................................... [RUN]",
    );
    expect(
      lines.some((l) => /^1 of 4 OK created sql view model main\.stg \.{3,} \[OK in \d+\.\d\ds\]$/.test(l)),
    ).toBe(true);
    expect(lines.some((l) => /^2 of 4 START sql table model main\.pages \.+ \[RUN\]$/.test(l))).toBe(true);
    expect(
      lines.some((l) => /^[34] of 4 PASS unique_pages_page_path \.+ \[PASS in \d+\.\d\ds\]$/.test(l)),
    ).toBe(true);
    expect(lines.at(-1)).toBe("Done. PASS=4 WARN=0 ERROR=0 SKIP=0 TOTAL=4");
    const wh = await openWarehouse(p.data);
    expect(await wh.all("select * from pages")).toEqual([{ page_path: "/", views: 2 }]);
    wh.close();

    const results = readJson<RunResults>(p.data, "run_results.json");
    const pages = results.results.find((r) => r.unique_id === "model.demo.pages");
    expect(pages).toMatchObject({ status: "success", adapter_response: { rows_affected: 1, mode: "full" } });
    expect(pages?.timing[0]?.started_at).toMatch(/Z$/);
    const manifest = readJson<Manifest>(p.data, "manifest.json");
    expect(manifest.nodes["model.demo.pages"]).toMatchObject({
      depends_on: { nodes: ["model.demo.stg"] },
      description: "One row per page",
      columns: { page_path: { name: "page_path", description: "The path" } },
      config: { materialized: "table" },
      compiled_path: "target/compiled/models/marts/pages.sql",
    });
    expect(manifest.child_map["model.demo.stg"]).toEqual(["model.demo.pages"]);
    expect(manifest.child_map["model.demo.pages"]).toEqual([
      "test.demo.unique_pages_page_path.2150cfadaa",
      "test.demo.not_null_pages_page_path.80a9164b3d",
    ]);
  });

  it("skips the descendants of a failed error test but not of a warning, and exits 1", async () => {
    const p = tempProject({
      "base.sql":
        "{{config materialized=\"table\"}}\nselect * from (values (1, 'a'), (1, 'b'), (2, 'zz')) t(id, kind)",
      "child.sql": 'select * from {{ref "base"}}',
      "grandchild.sql": 'select * from {{ref "child"}}',
      "loose.sql": 'select * from {{ref "base"}}',
      "loose_child.sql": 'select * from {{ref "loose"}}',
      "schema.yml": [
        "models:",
        "  - name: base",
        "    columns:",
        "      - name: id",
        "        tests: [unique]",
        "  - name: loose",
        "    columns:",
        "      - name: kind",
        "        tests:",
        "          - accepted_values: { values: [a, b], severity: warn }",
      ].join("\n"),
      "tests/no_big_ids.sql":
        '-- rows returned are failures\nselect * from {{ref "loose"}} where id > {{var "min_scroll"}}',
    });
    const { code, lines } = await run("build", p);
    expect(code).toBe(1);
    const text = lines.join("\n");
    expect(text).toMatch(/FAIL 1 unique_base_id \.+ \[FAIL 1 in/);
    expect(text).toMatch(/SKIP relation main\.child \.+ \[SKIP\]/);
    expect(text).toMatch(/SKIP relation main\.grandchild \.+ \[SKIP\]/);
    // loose reads the failed base too, so it is skipped; its warn test never runs.
    expect(text).toMatch(/SKIP relation main\.loose /);
    expect(text).toContain("Failure in test unique_base_id (models/schema.yml:5)");
    expect(text).toContain("Got 1 result, configured to fail if != 0");
    expect(lines.at(-1)).toBe("Done. PASS=1 WARN=0 ERROR=1 SKIP=6 TOTAL=8");

    // With the id fixed, the warning shows but nothing is skipped and the exit is 0.
    writeFiles(p.models, {
      "base.sql":
        "{{config materialized=\"table\"}}\nselect * from (values (1, 'a'), (2, 'b'), (3, 'zz')) t(id, kind)",
      "tests/no_big_ids.sql": 'select * from {{ref "loose"}} where id > 100',
    });
    const second = await run("build", p);
    expect(second.output).toMatch(/WARN 1 accepted_values_loose_kind__a__b \.+ \[WARN 1 in/);
    expect(second.output).toContain("Warning in test accepted_values_loose_kind__a__b");
    expect(second.lines.at(-1)).toBe("Done. PASS=7 WARN=1 ERROR=0 SKIP=0 TOTAL=8");
    expect(second.code).toBe(0);
    const results = readJson<RunResults>(p.data, "run_results.json");
    const loose = results.results.find(
      (r) => r.unique_id === "test.demo.accepted_values_loose_kind__a__b.4b658f91c8",
    );
    expect(loose).toMatchObject({ status: "warn", failures: 1 });
  });

  it("runs a data test whose query ends with a semicolon and a comment, as dbt users write them", async () => {
    const p = tempProject({
      "ids.sql": "select * from (values (1), (2), (300)) t(id); -- one row per id",
      "tests/no_big_ids.sql": 'select * from {{ref "ids"}} where id > 100; -- failing rows',
      "tests/no_negative_ids.sql": 'select * from {{ref "ids"}} where id < 0;\n-- none expected\n',
    });
    const { code, output } = await run("build", p);
    expect(output).toMatch(/FAIL 1 no_big_ids \.+ \[FAIL 1 in/);
    expect(output).toMatch(/PASS no_negative_ids \.+ \[PASS in/);
    expect(output).toContain("Done. PASS=2 WARN=0 ERROR=1 SKIP=0 TOTAL=3");
    expect(code).toBe(1);
  });

  it("runs every test of a model after one of them fails, and skips only its readers", async () => {
    const p = tempProject({
      "base.sql": '{{config materialized="table"}}\nselect * from (values (1), (1), (null)) t(id)',
      "reader.sql": 'select * from {{ref "base"}}',
      "schema.yml": [
        "models:",
        "  - name: base",
        "    columns:",
        "      - name: id",
        "        tests: [not_null, unique]",
        "      - name: no_such_column",
        "        tests: [not_null]",
      ].join("\n"),
    });
    const { code, output, lines } = await run("build", p);
    expect(code).toBe(1);
    expect(output).toMatch(/FAIL 1 not_null_base_id \.+ \[FAIL 1 in/);
    expect(output).toMatch(/FAIL 1 unique_base_id \.+ \[FAIL 1 in/);
    expect(output).toMatch(/ERROR not_null_base_no_such_column \.+ \[ERROR in/);
    expect(output).toMatch(/SKIP relation main\.reader /);
    expect(lines.at(-1)).toBe("Done. PASS=1 WARN=0 ERROR=3 SKIP=1 TOTAL=5");
  });

  it("names the model file and its line when DuckDB rejects the SQL, and runs the rest", async () => {
    const p = tempProject({
      "ok.sql": "select 1 as x",
      "broken.sql": [
        '{{config materialized="table"}}',
        "-- a comment line",
        "select",
        "  x,",
        "{{#each vars.conversion_events}}",
        "  {{literal this}} as ev,",
        "{{/each}}",
        "  no_such_column",
        'from {{ref "ok"}}',
      ].join("\n"),
      "after_broken.sql": 'select * from {{ref "broken"}}',
    });
    const { code, output } = await run("run", p);
    expect(code).toBe(1);
    expect(output).toMatch(/ERROR creating sql table model main\.broken \.+ \[ERROR in/);
    expect(output).toMatch(/SKIP relation main\.after_broken/);
    expect(output).toContain("Runtime Error in model broken (models/broken.sql:8)");
    expect(output).toContain('Referenced column "no_such_column" not found');
    expect(output).toContain("LINE 8:");
    expect(output).toMatch(/OK created sql view model main\.ok/);
    const results = readJson<RunResults>(p.data, "run_results.json");
    expect(results.results.find((r) => r.unique_id === "model.demo.broken")).toMatchObject({
      status: "error",
      adapter_response: { line: 8 },
    });
  });

  it("names the view a model reads when that view no longer binds, not a line of the model", async () => {
    const p = tempProject({
      "t.sql": '{{config materialized="table"}}\nselect 1 as a, 2 as c',
      "v.sql": 'select\n  a,\n  c\nfrom {{ref "t"}}',
      "b.sql": '{{config materialized="table"}}\n-- one\n-- two\n-- three\nselect * from {{ref "v"}}',
    });
    expect((await run("run", p)).code).toBe(0);
    // t loses the column v reads, and v, left out of the run, is not built again.
    writeFiles(p.models, { "t.sql": '{{config materialized="table"}}\nselect 1 as a' });
    expect((await run("run", p, { select: ["t"] })).code).toBe(0);
    const { code, output } = await run("run", p, { select: ["b"] });
    expect(code).toBe(1);
    expect(output).toContain("Runtime Error in model b (models/b.sql)\n");
    expect(output).toContain(
      'the view "v" it reads no longer works with what it reads (build it again: ownstats run --select v)',
    );
    expect(output).toContain('Referenced column "c" not found');
    expect(output).not.toContain("LINE");
    const results = readJson<RunResults>(p.data, "run_results.json");
    expect(
      results.results.find((r) => r.unique_id === "model.demo.b")?.adapter_response.line,
    ).toBeUndefined();
  });

  it("keeps the previous table when a rebuild fails", async () => {
    const p = tempProject({ "t.sql": '{{config materialized="table"}}\nselect 41 + 1 as answer' });
    expect((await run("run", p)).code).toBe(0);
    // Fails only at run time, after rows started to flow: a cast error mid-query.
    writeFiles(p.models, {
      "t.sql": "{{config materialized=\"table\"}}\nselect 'not a number'::INTEGER as answer",
    });
    const failed = await run("run", p);
    expect(failed.code).toBe(1);
    const wh = await openWarehouse(p.data);
    expect(await wh.all("select * from t")).toEqual([{ answer: 42 }]);
    expect(await wh.all("select table_name from duckdb_tables() where table_name like '%ownstats%'")).toEqual(
      [],
    );
    wh.close();
  });

  it("rebuilds a model whose file was renamed with other letter case", async () => {
    const p = tempProject({ "daily.sql": '{{config materialized="table"}}\nselect 1 as v' });
    expect((await run("run", p)).code).toBe(0);
    rmSync(join(p.models, "daily.sql"));
    writeFiles(p.models, { "Daily.sql": '{{config materialized="table"}}\nselect 2 as v' });
    const renamed = await run("run", p);
    expect(renamed.output).not.toContain("Error");
    expect(renamed.code).toBe(0);
    rmSync(join(p.models, "Daily.sql"));
    writeFiles(p.models, { "DAILY.sql": '{{config materialized="view"}}\nselect 3 as v' });
    expect((await run("run", p)).code).toBe(0);
    const wh = await openWarehouse(p.data);
    expect(await wh.all("select v from daily")).toEqual([{ v: 3 }]);
    wh.close();
  });

  it("runs only the selected models, with ancestors, descendants, tags and exclusions", async () => {
    const p = tempProject({
      "a.sql": "select 1 as x",
      "b.sql": '{{config tags="daily"}}\nselect * from {{ref "a"}}',
      "c.sql": 'select * from {{ref "b"}}',
      "d.sql": "select 2 as y",
    });
    const ran = async (extra: { select?: string[]; exclude?: string[] }) => {
      const { lines } = await run("run", p, extra);
      return lines.flatMap((l) => /OK created sql view model main\.(\w+)/.exec(l)?.[1] ?? []).sort();
    };
    expect(await ran({})).toEqual(["a", "b", "c", "d"]);
    expect(await ran({ select: ["b"] })).toEqual(["b"]);
    expect(await ran({ select: ["+b"] })).toEqual(["a", "b"]);
    expect(await ran({ select: ["b+"] })).toEqual(["b", "c"]);
    expect(await ran({ select: ["tag:daily", "d"] })).toEqual(["b", "d"]);
    expect(await ran({ exclude: ["a+"] })).toEqual(["d"]);
    // As dbt: a selector that matches nothing is a warning, and an empty selection runs nothing.
    const none = await run("run", p, { select: ["zzz"] });
    expect(none.code).toBe(0);
    expect(none.lines.slice(0, 2)).toEqual([
      '[WARNING]: the selector "zzz" matches nothing: no model named "zzz"',
      "[WARNING]: Nothing to do. Try checking your model configs and model specification args",
    ]);
    expect(none.output).toContain("TOTAL=0");
    expect(await ran({ exclude: ["tag:gone"] })).toEqual(["a", "b", "c", "d"]);
  });

  it("runs one data test chosen by name, and builds no model for it", async () => {
    const p = tempProject({
      "a.sql": '{{config materialized="table"}}\nselect 1 as id',
      "schema.yml":
        "models:\n  - name: a\n    columns:\n      - name: id\n        tests: [not_null, unique]\n",
    });
    expect((await run("run", p)).code).toBe(0);
    for (const step of ["test", "build"] as const) {
      const { code, output } = await run(step, p, { select: ["unique_a_id"] });
      expect(code, output).toBe(0);
      expect(output).toContain("PASS unique_a_id");
      expect(output).not.toContain("not_null_a_id");
      expect(output).not.toContain("model main.a");
      expect(output).toContain("TOTAL=1");
    }
  });

  it("runs overlapping builds of one data folder one after the other", async () => {
    const p = tempProject({ "t.sql": '{{config materialized="table"}}\nselect * from range(100000) r(i)' });
    const results = await Promise.all([run("run", p), run("run", p), run("run", p)]);
    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
  });

  it("runs data tests alone with `test`, failing on a relation that was never built", async () => {
    const p = tempProject({
      "a.sql": "select 1 as id",
      "schema.yml": "models:\n  - name: a\n    columns:\n      - name: id\n        tests: [not_null]\n",
    });
    const before = await run("test", p);
    expect(before.code).toBe(1);
    expect(before.output).toMatch(/ERROR not_null_a_id/);
    await run("run", p);
    const after = await run("test", p);
    expect(after.code).toBe(0);
    expect(after.lines.at(-1)).toBe("Done. PASS=1 WARN=0 ERROR=0 SKIP=0 TOTAL=1");
  });
});
