import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileProject } from "./compile.ts";
import { eventsSource, run, tempProject } from "./testkit.ts";

describe("compileProject", () => {
  it("names a models folder that is not there, or is a file (a --models typo), as a project error", () => {
    const p = tempProject({ "a.sql": "select 1 as id" });
    const missing = join(p.models, "nowhere");
    expect(compileProject(missing).errors).toEqual([
      {
        file: "nowhere",
        message: `the models folder ${missing} does not exist (--models names the model project folder; models are picked with --select, which dbt's --models and -m are)`,
      },
    ]);
    const file = join(p.models, "a.sql");
    expect(compileProject(file).errors).toEqual([
      { file: "a.sql", message: `the models folder ${file} is a file, not a folder` },
    ]);
  });

  it("records refs as dependencies and applies folder defaults under the in-file config", () => {
    const p = tempProject(
      {
        "staging/stg.sql": 'select * from {{source "events"}}',
        "marts/sessions.sql": 'select session_id from {{ref "stg"}}',
        "marts/daily.sql":
          '{{config materialized="view" tags="nightly, kpi"}}\nselect * from {{ref "sessions"}}',
      },
      `name: demo\nfolders:\n  staging: { materialized: view }\n  marts: { materialized: table, tags: [marts] }\n${eventsSource}`,
    );
    const project = compileProject(p.models);
    expect(project.errors).toEqual([]);
    expect(project.models.get("daily")?.parents).toEqual(["sessions"]);
    expect(project.models.get("stg")?.config.materialized).toBe("view");
    expect(project.models.get("sessions")?.config).toMatchObject({ materialized: "table", tags: ["marts"] });
    expect(project.models.get("daily")?.config).toMatchObject({
      materialized: "view",
      tags: ["marts", "nightly", "kpi"],
    });
  });

  it("names the line of a model's ref to itself, in its incremental query too, pointing to {{self}}", () => {
    const p = tempProject({
      "inc.sql": [
        '{{config materialized="incremental" unique_key="id" watermark="ts"}}',
        "select 1 as id, now() as ts",
        '{{#if is_incremental}}where ts > (select max(ts) from {{ref "inc"}}){{/if}}',
      ].join("\n"),
    });
    expect(compileProject(p.models).errors).toEqual([
      {
        file: "models/inc.sql",
        line: 3,
        message: "dependency cycle: inc > inc (a model reads its own table with {{self}}, not {{ref}})",
      },
    ]);
  });

  it("refuses a model or test of two statements, which a view would cut to the first, naming the ';'", () => {
    const p = tempProject({
      "two.sql": "select 1 as a; -- the first\nselect 2 as a",
      "one.sql": "select 1 as a; -- one query, then a comment\n",
      "tests/two_checks.sql": 'select * from {{ref "one"}} where a < 0\n;\nselect 1',
    });
    const message = "this ';' ends the query before the rest: a model or a data test is one query";
    expect(compileProject(p.models).errors).toEqual([
      { file: "models/two.sql", line: 1, message },
      { file: "models/tests/two_checks.sql", line: 2, message },
    ]);
  });

  it("refuses a model or test that holds no query, which DuckDB would call a syntax error at end of input", () => {
    const p = tempProject({
      "draft.sql": '{{config materialized="table"}}\n-- to do: weekly paths\n',
      "ok.sql": "select 1 as a",
      "tests/nothing_yet.sql": "/* later */ ;",
    });
    const message = (what: string) =>
      `the ${what} holds no query, only comments or config: a model or a data test is one SELECT`;
    expect(compileProject(p.models).errors).toEqual([
      { file: "models/draft.sql", message: message("file") },
      { file: "models/tests/nothing_yet.sql", message: message("file") },
    ]);
  });

  it("refuses a --vars key that project.yml does not declare, naming the declared ones, and exits 2", async () => {
    const p = tempProject({ "a.sql": 'select {{var "min_scroll"}} as s' });
    expect(compileProject(p.models, { vars: { min_scroll: 75 } }).errors).toEqual([]);
    expect(compileProject(p.models, { vars: { min_scrol: 75, min_scroll: 75 } }).errors).toEqual([
      {
        file: "--vars",
        message:
          'unknown variable "min_scrol" (project.yml vars: conversion_events, min_scroll); a new variable is declared in project.yml with its default',
      },
    ]);
    const { code, output } = await run("run", p, { vars: { min_scrol: 75 } });
    expect(code).toBe(2);
    expect(output).toContain("Compilation Error in --vars");
  });

  it("collects every project error with file and line, and the run exits 2", async () => {
    const p = tempProject({
      "a.sql": 'select * from {{ref "b"}}',
      "b.sql": '-- b reads c\nselect * from {{ref "c"}}',
      "c.sql": 'select 1\nunion all\nselect * from {{ref "a"}}',
      "d.sql": 'select 1\n\nfrom {{ref "nowhere"}}',
      "e.sql": "select 1\nfrom {{#if}}",
      "sub/e.sql": "select 2",
      "f.sql": '{{config materialized="incremental"}}\nselect 1',
      "g.sql": '{{config materialized="incremental" watermark="t" incremental_strategy="merge"}}\nselect 1',
      "h.sql":
        '{{config materialized="incremental" watermark="t" incremental_strategy="time_range"}}\nselect 1',
      "i.sql": '{{config materialized="table" time_column="t"}}\nselect 1',
    });
    const project = compileProject(p.models);
    const where = project.errors.map((e) => `${e.file}:${e.line ?? "-"} ${e.message.split("\n")[0]}`);
    expect(where).toEqual(
      expect.arrayContaining([
        'models/d.sql:3 ref to a model that does not exist: "nowhere"',
        "models/a.sql:1 dependency cycle: a > b > c > a",
        'models/sub/e.sql:- two models are named "e": models/e.sql and models/sub/e.sql (model names must be unique)',
        'models/f.sql:1 an incremental model needs unique_key="column" (or incremental_strategy="append" or "time_range")',
        "models/g.sql:1 incremental_strategy must be one of delete+insert, append, time_range, not 'merge'",
        'models/h.sql:1 incremental_strategy="time_range" needs time_column="column" (the column whose range a batch replaces)',
        'models/i.sql:1 time_column is only read with incremental_strategy="time_range"',
      ]),
    );
    expect(where.some((w) => w.startsWith("models/e.sql:2 "))).toBe(true);
    const { code, output } = await run("run", p);
    expect(code).toBe(2);
    expect(output).toContain("Compilation Error in models/d.sql:3");
    expect(output).toContain("dependency cycle: a > b > c > a");
  });

  it("reports every missing ref, those of a model with other errors too, and names that differ in case only", () => {
    const p = tempProject({
      "m1.sql": 'select * from {{ref "x"}} join {{ref "y"}} using (id)',
      "m2.sql": 'select * from {{source "evnts"}}\njoin {{ref "gone"}} using (id)',
      "Daily.sql": "select 1",
      "marts/daily.sql": "select 2",
      "eph.sql": '{{config materialized="ephemeral"}}\nselect 1 as x',
      "v.sql": 'select x from {{ref "eph"}}',
      "t.sql": '{{config materialized="table"}}\nselect x from {{ref "eph"}}',
    });
    const where = compileProject(p.models).errors.map((e) => `${e.file}:${e.line ?? "-"} ${e.message}`);
    expect(where).toEqual(
      expect.arrayContaining([
        'models/m1.sql:1 ref to a model that does not exist: "x"',
        'models/m1.sql:1 ref to a model that does not exist: "y"',
        'models/m2.sql:2 ref to a model that does not exist: "gone"',
        'models/marts/daily.sql:- two models are named "daily": models/Daily.sql and models/marts/daily.sql (model names must be unique)',
        'models/v.sql:1 the view "v" refs the ephemeral model "eph", which is gone once the run ends: make one of them a table or a view',
      ]),
    );
    expect(where.some((w) => w.startsWith("models/m2.sql:1 unknown source"))).toBe(true);
    expect(where.some((w) => w.startsWith("models/t.sql"))).toBe(false);
  });

  it("refuses a model name that no --select could name: one with a space or a comma", () => {
    const p = tempProject({ "my model.sql": "select 1", "a,b.sql": "select 2", "ok-name.sql": "select 3" });
    const where = compileProject(p.models).errors.map((e) => `${e.file}:${e.line ?? "-"} ${e.message}`);
    expect(where.sort()).toEqual([
      'models/a,b.sql:- the model name "a,b" holds a comma, where --select splits its selectors: rename the file (e.g. a_b.sql)',
      'models/my model.sql:- the model name "my model" holds a space, where --select splits its selectors: rename the file (e.g. my_model.sql)',
    ]);
  });

  it("refuses a model name that --select reads as a method, a wildcard or a graph operator", () => {
    const p = tempProject({
      "daily:v2.sql": "select 1",
      "top*.sql": "select 2",
      "+base.sql": "select 3",
      "@all.sql": "select 4",
      "orders+.sql": "select 5",
      "v1.2-final_ok.sql": "select 6",
    });
    const where = compileProject(p.models).errors.map((e) => `${e.file} ${e.message}`);
    expect(where.sort()).toEqual([
      'models/+base.sql the model name "+base" starts with an operator of --select (+name takes its parents, @name its children\'s): rename the file (e.g. base.sql)',
      'models/@all.sql the model name "@all" starts with an operator of --select (+name takes its parents, @name its children\'s): rename the file (e.g. all.sql)',
      'models/daily:v2.sql the model name "daily:v2" holds a colon, where --select reads a method (tag:nightly): rename the file (e.g. daily_v2.sql)',
      'models/orders+.sql the model name "orders+" ends with an operator of --select (name+ takes its children): rename the file (e.g. orders.sql)',
      'models/top*.sql the model name "top*" holds a wildcard character (* ? [ ]), which --select matches other names with: rename the file (e.g. top_.sql)',
    ]);
  });

  it("suggests a name --select can read for every name it refuses", () => {
    for (const name of ["@@all", "+@base", "2+@base", "orders++", "orders+1+", "top*+"]) {
      const [error] = compileProject(tempProject({ [`${name}.sql`]: "select 1" }).models).errors;
      const suggested = /\(e\.g\. (.+)\.sql\)$/.exec(error?.message ?? "")?.[1];
      expect(suggested, name).toBeDefined();
      const renamed = tempProject({ [`${suggested}.sql`]: "select 1" });
      expect(compileProject(renamed.models).errors, `${name} → ${suggested}`).toEqual([]);
    }
  });

  it("validates project.yml and names the key that is wrong", async () => {
    const p = tempProject(
      { "a.sql": "select 1" },
      "name: demo\nsources:\n  events:\n    path: raw\n    columns: { event_id: 'VARCHAR; drop table x' }\n    lookback_hours: -1\n    colums: {}\n",
    );
    const errors = compileProject(p.models).errors.map((e) => `${e.file}:${e.line} ${e.message}`);
    expect(errors.some((e) => /^models\/project\.yml:5 sources\.events\.columns\.event_id: /.test(e))).toBe(
      true,
    );
    expect(errors.some((e) => /^models\/project\.yml:6 sources\.events\.lookback_hours: /.test(e))).toBe(
      true,
    );
    expect(errors.some((e) => /colums/.test(e))).toBe(true);
    expect((await run("build", p)).code).toBe(2);
  });

  it("names the line of a YAML syntax error and of an unknown key, and adds no errors of the models", () => {
    const models = {
      "a.sql": 'select {{var "n"}} as n from {{source "events"}}',
      "schema.yml": "models:\n  - name: a\n    columns:\n      - name: n\n       tests: [not_null\n",
    };
    const broken = tempProject(models, `name: demo\nvars:\n  n: [1\n${eventsSource}`);
    const where = compileProject(broken.models).errors.map((e) => `${e.file}:${e.line ?? "-"}`);
    expect(where.length).toBeGreaterThan(0);
    expect(where.every((w) => /^models\/(project|schema)\.yml:\d+$/.test(w))).toBe(true);
    const unknownKey = tempProject(models, `name: demo\nvars: { n: 1 }\nvar: { n: 2 }\n${eventsSource}`);
    expect(
      compileProject(unknownKey.models).errors.map((e) => `${e.file}:${e.line ?? "-"} ${e.message}`),
    ).toContain(
      'models/project.yml:3 (top level): Unrecognized key: "var" (it takes: name, vars, sources, folders, data_tests, tests)',
    );
  });

  it("says where dbt_project.yml's models: block goes, rather than only listing the keys there are", () => {
    const copied = tempProject(
      { "marts/a.sql": "select 1 as id" },
      `name: demo\nmodels:\n  demo:\n    marts:\n      +materialized: table\n${eventsSource}`,
    );
    expect(compileProject(copied.models).errors.map((e) => `${e.file}:${e.line} ${e.message}`)).toEqual([
      'models/project.yml:2 (top level): Unrecognized key: "models" (dbt_project.yml\'s models: block is folders: here, keyed by the folder under models/, with no project name and no +: folders: { marts: { materialized: table } })',
    ]);
  });

  it("checks schema.yml tests and names the model and column", () => {
    const p = tempProject({
      "a.sql": "select 1 as id",
      "schema.yml":
        "models:\n  - name: a\n    columns:\n      - name: id\n        tests: [not_nul, {relationships: {to: zz, field: id}}]\n  - name: ghost\n",
    });
    const messages = compileProject(p.models).errors.map((e) => e.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        'model "a" column "id": unknown test "not_nul" (did you mean "not_null"?)',
        'model "a" column "id": relationships points to a model that does not exist: "zz"',
        'schema.yml describes a model that does not exist: "ghost"',
      ]),
    );
  });

  it("reads a folders entry written with a trailing slash (staging/) as its folder", () => {
    const p = tempProject(
      { "marts/daily.sql": "select 1 as v", "staging/web/stg.sql": "select 2 as v" },
      "name: demo\nfolders:\n  staging/: { materialized: table }\n  marts/: { materialized: table, tags: marts }\n",
    );
    const project = compileProject(p.models);
    expect(project.warnings).toEqual([]);
    expect(project.models.get("daily")?.config).toMatchObject({ materialized: "table", tags: ["marts"] });
    expect(project.models.get("stg")?.config.materialized).toBe("table");
  });

  it("warns of a folder default that applies to no model, and builds", async () => {
    const p = tempProject(
      { "marts/daily.sql": "select 1 as v", "staging/web/stg.sql": "select 2 as v" },
      "name: demo\nfolders:\n  staging: { materialized: view }\n  mart: { materialized: table }\n",
    );
    expect(compileProject(p.models).errors).toEqual([]);
    const { code, lines } = await run("run", p);
    expect(code).toBe(0);
    expect(lines[0]).toBe(
      "[WARNING]: models/project.yml:4 folders.mart applies to no model: nothing is in models/mart/",
    );
  });

  it("names the model a misspelt ref most likely meant, in a model and in a singular test", () => {
    const p = tempProject({
      "sessions.sql": "select 1 as id",
      "Daily_Visits.sql": 'select * from {{ref "sesions"}}',
      "b.sql": 'select * from {{ref "daily_visits"}}\nunion all select * from {{ref "xyz"}}',
      "tests/t.sql": 'select * from {{ref "sessionz"}} where id < 0',
    });
    expect(compileProject(p.models).errors.map((e) => `${e.file}:${e.line} ${e.message}`)).toEqual([
      'models/b.sql:1 ref to a model that does not exist: "daily_visits" (did you mean "Daily_Visits"?)',
      'models/b.sql:2 ref to a model that does not exist: "xyz"',
      'models/Daily_Visits.sql:1 ref to a model that does not exist: "sesions" (did you mean "sessions"?)',
      'models/tests/t.sql:1 ref to a model that does not exist: "sessionz" (did you mean "sessions"?)',
    ]);
  });

  it("names the config keys a model takes when it is given another, as dbt's alias=", () => {
    const p = tempProject({ "a.sql": '{{config materialized="table" alias="b"}}\nselect 1 as id' });
    expect(compileProject(p.models).errors.map((e) => `${e.file}:${e.line} ${e.message}`)).toEqual([
      'models/a.sql:1 unknown config key "alias" (it takes: enabled, materialized, unique_key, watermark, incremental_strategy, time_column, tags, meta)',
    ]);
  });

  it("checks the config keys of a singular test", () => {
    const p = tempProject({
      "a.sql": "select 1 as id",
      "tests/few.sql": '{{config severty="warn"}}\nselect * from {{ref "a"}} where id > 1',
    });
    expect(compileProject(p.models).errors.map((e) => `${e.file}:${e.line} ${e.message}`)).toEqual([
      'models/tests/few.sql:1 unknown config key "severty" of a data test (it takes: severity, warn_if, error_if, enabled, limit, store_failures, store_failures_as, tags, meta)',
    ]);
  });

  it("reads a singular test's severity in either case, as schema.yml's", () => {
    const p = tempProject({
      "a.sql": "select 1 as id",
      "tests/few.sql": '{{config severity="WARN"}}\nselect * from {{ref "a"}} where id > 1',
      "schema.yml":
        "models:\n  - name: a\n    columns:\n      - name: id\n        tests: [{unique: {severity: WARN}}]\n",
    });
    const project = compileProject(p.models);
    expect(project.errors).toEqual([]);
    expect(project.tests.map((t) => `${t.name} ${t.severity}`)).toEqual(["unique_a_id warn", "few warn"]);
  });

  it("compiles the full and the incremental query of each model into target/compiled", async () => {
    const p = tempProject({
      "stg.sql":
        '{{config materialized="incremental" unique_key="event_id" watermark="ingest_ts"}}\nselect * from {{source "events"}}\n{{#if is_incremental}}where ingest_ts > (select max(ingest_ts) from {{self}}){{/if}}\n',
    });
    const { code } = await run("run", p);
    expect(code).toBe(0);
    const full = readFileSync(join(p.data, "target/compiled/models/stg.sql"), "utf8");
    const inc = readFileSync(join(p.data, "target/compiled/models/stg.incremental.sql"), "utf8");
    expect(full).not.toContain("max(ingest_ts)");
    expect(inc).toContain('where ingest_ts > (select max(ingest_ts) from main."stg")');
    // No files yet: the source is an empty relation with the declared columns.
    expect(full).toContain('CAST(NULL AS VARCHAR) AS "event_id"');
  });
});
