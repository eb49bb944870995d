import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile, list } from "./inspect.ts";
import { tempProject } from "./testkit.ts";

// stg (view) → sessions (table, tested) → daily (table); pages (table) reads stg.
const files = {
  "staging/stg.sql": 'select event_id, session_id, page_path from {{source "events"}}',
  "marts/sessions.sql":
    '{{config materialized="table" tags="marts"}}\nselect session_id, count(*) as events from {{ref "stg"}} group by 1',
  "marts/daily.sql":
    '{{config materialized="table" tags="marts"}}\nselect count(*) as sessions from {{ref "sessions"}}',
  "marts/pages.sql":
    '{{config materialized="table"}}\nselect page_path, count(*) as views from {{ref "stg"}} group by 1',
  "schema.yml":
    "models:\n  - name: sessions\n    columns:\n      - name: session_id\n        tests: [unique]\n",
};

function capture<T>(fn: (log: (line: string) => void) => T): { result: T; lines: string[] } {
  const lines: string[] = [];
  return { result: fn((line) => lines.push(line)), lines };
}

describe("ownstats ls", () => {
  it("lists the selected models and their tests in build order", () => {
    const p = tempProject(files);
    const all = capture((log) => list({ ...p, log }));
    expect(all.result).toBe(0);
    expect(all.lines).toEqual(["stg", "sessions", "unique_sessions_session_id", "daily", "pages"]);
    const marts = capture((log) =>
      list({ ...p, select: ["tag:marts,sessions+"], resourceType: ["model"], log }),
    );
    expect(marts.lines).toEqual(["sessions", "daily"]);
    const paths = capture((log) => list({ ...p, select: ["+daily"], exclude: ["stg"], output: "path", log }));
    expect(paths.lines).toEqual(["models/marts/sessions.sql", "models/schema.yml", "models/marts/daily.sql"]);
  });

  it("selects data tests by name and path, and leaves out the tests it excludes, as dbt does", () => {
    const p = tempProject({
      ...files,
      // A singular test may share a model's name.
      "tests/daily.sql": 'select * from {{ref "daily"}} where sessions < 0',
      "tests/pages_have_views.sql": 'select * from {{ref "pages"}} where views = 0',
    });
    const ls = (select: string[], exclude?: string[]) =>
      capture((log) => list({ ...p, select, exclude, log })).lines;
    expect(ls(["unique_sessions_session_id"])).toEqual(["unique_sessions_session_id"]);
    expect(ls(["path:tests"])).toEqual(["daily", "pages_have_views"]);
    expect(ls(["daily"])).toEqual(["daily", "daily"]);
    expect(
      capture((log) => list({ ...p, select: ["daily"], output: "json", log })).lines.map(
        (l) => JSON.parse(l).resource_type,
      ),
    ).toEqual(["model", "test"]);
    expect(ls(["sessions+"], ["unique_sessions_session_id"])).toEqual(["sessions", "daily", "daily"]);
    expect(ls(["stg+"], ["sessions"])).toEqual(["stg", "daily", "daily", "pages", "pages_have_views"]);
  });

  it("lists an ephemeral model only when the selection picks it, as dbt's, though a run builds it along", () => {
    const p = tempProject({
      ...files,
      "staging/visits.sql": '{{config materialized="ephemeral"}}\nselect * from {{ref "stg"}}',
      "marts/visits_per_page.sql":
        '{{config materialized="table"}}\nselect page_path, count(*) as n from {{ref "visits"}} group by 1',
    });
    const ls = (select: string[], exclude?: string[]) =>
      capture((log) => list({ ...p, select, exclude, log })).lines;
    expect(ls(["visits_per_page"])).toEqual(["visits_per_page"]);
    expect(ls(["+visits_per_page"], ["visits"])).toEqual(["stg", "visits_per_page"]);
    expect(ls(["+visits_per_page"])).toEqual(["stg", "visits", "visits_per_page"]);
  });

  it("prints one JSON object per node with dbt ls's keys, so that scripts written for dbt read it", () => {
    const p = tempProject(files);
    const { lines } = capture((log) => list({ ...p, select: ["sessions"], output: "json", log }));
    const [model, test] = lines.map((l) => JSON.parse(l));
    expect(model).toMatchObject({
      name: "sessions",
      resource_type: "model",
      unique_id: "model.demo.sessions",
      package_name: "demo",
      original_file_path: "models/marts/sessions.sql",
      alias: "sessions",
      config: { enabled: true, materialized: "table", tags: ["marts"] },
      tags: ["marts"],
      // As dbt's: `jq '.depends_on.nodes[]'` gives the unique_ids the node reads.
      depends_on: { macros: [], nodes: ["model.demo.stg"] },
      file: "models/marts/sessions.sql",
      materialized: "table",
    });
    expect(test).toMatchObject({
      name: "unique_sessions_session_id",
      resource_type: "test",
      unique_id: "test.demo.unique_sessions_session_id.fadadf1d54",
      original_file_path: "models/schema.yml",
      config: { severity: "ERROR" },
      depends_on: { macros: [], nodes: ["model.demo.sessions"] },
      severity: "error",
    });
  });

  it("prints only the keys --output-keys names, as dbt ls does, and names a key no node has", () => {
    const p = tempProject(files);
    const keys = (outputKeys: string[], output: "json" | "name" = "json") =>
      capture((errorLog) =>
        list({ ...p, select: ["sessions"], output, outputKeys, log: errorLog, errorLog }),
      );
    expect(keys(["name", "unique_id"]).lines.map((l) => JSON.parse(l))).toEqual([
      { name: "sessions", unique_id: "model.demo.sessions" },
      { name: "unique_sessions_session_id", unique_id: "test.demo.unique_sessions_session_id.fadadf1d54" },
    ]);
    // dbt's docs write them as one quoted argument: --output-keys "name unique_id".
    expect(keys(["name unique_id"]).lines).toEqual(keys(["name", "unique_id"]).lines);
    const bad = keys(["name", "uniqueid"]);
    expect(bad.result).toBe(2);
    expect(bad.lines[0]).toMatch(/^--output-keys: no key "uniqueid" \(a node has: name, resource_type, /);
    expect(keys(["name"], "name").lines).toEqual([
      "--output-keys chooses the keys of --output json: give that too",
    ]);
  });

  it("exits 2 on a bad selector or a project error, saying which apart from the list", () => {
    const p = tempProject(files);
    const listed: string[] = [];
    const log = (line: string) => listed.push(line);
    const bad = capture((errorLog) => list({ ...p, select: ["kind:table"], log, errorLog }));
    expect(bad.result).toBe(2);
    expect(bad.lines).toEqual([
      'Selection error: unknown selector method "kind" in "kind:table" (use a name, fqn:, tag:, path:, file:, package:, config.<key>:, resource_type:, test_type:, test_name:, result:, source:, state:, selector:)',
    ]);
    const broken = tempProject({ ...files, "marts/daily.sql": 'select * from {{ref "gone"}}' });
    const errors = capture((errorLog) => list({ ...broken, log, errorLog }));
    expect(errors.result).toBe(2);
    expect(listed).toEqual([]);
    expect(errors.lines.join("\n")).toContain(
      'Compilation Error in models/marts/daily.sql:1\n    ref to a model that does not exist: "gone"',
    );
  });
});

describe("ownstats compile", () => {
  it("writes every model's compiled SQL and the manifest without a warehouse", () => {
    const p = tempProject(files);
    const { result, lines } = capture((log) => compile({ ...p, log }));
    expect(result).toBe(0);
    expect(lines).toEqual([
      `Compiled 4 models (0 with an incremental query) and 1 data tests into ${join(p.data, "target", "compiled")}`,
    ]);
    expect(
      readFileSync(join(p.data, "target", "compiled", "models", "marts", "daily.sql"), "utf8"),
    ).toContain('from main."sessions"');
    expect(existsSync(join(p.data, "target", "manifest.json"))).toBe(true);
    expect(existsSync(join(p.data, "warehouse.duckdb"))).toBe(false);
  });

  it("prints the compiled SQL of the selected models with --select, as dbt compile -s does", () => {
    const p = tempProject({
      ...files,
      "marts/visits.sql":
        '{{config materialized="incremental" unique_key="session_id" watermark="at"}}\nselect session_id, now() as at from {{ref "stg"}}\n{{#if is_incremental}}where true{{/if}}',
    });
    const { result, lines } = capture((log) => compile({ ...p, select: ["daily", "visits"], log }));
    expect(result).toBe(0);
    expect(lines.slice(1).join("\n")).toBe(
      [
        "",
        "Compiled node 'daily' is:",
        'select count(*) as sessions from main."sessions"',
        "",
        "Compiled node 'visits' is:",
        'select session_id, now() as at from main."stg"',
        "",
        "Compiled node 'visits' (its incremental query) is:",
        'select session_id, now() as at from main."stg"\nwhere true',
      ].join("\n"),
    );
    // A data test chosen by itself is printed too.
    const test = capture((log) => compile({ ...p, select: ["unique_sessions_session_id"], log }));
    expect(test.lines[1]).toMatch(/^\nCompiled node 'unique_sessions_session_id' is:\nselect "session_id"/);
  });
});
