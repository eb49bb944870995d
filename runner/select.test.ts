import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { list } from "./inspect.ts";
import { columnTests, run, tempProject, writeFiles } from "./testkit.ts";

// stg (view) → sessions (incremental, tested) → daily (table); a singular test reads daily.
const p = tempProject({
  "staging/stg.sql": 'select event_id, session_id, event_ts from {{source "events"}}',
  "marts/sessions.sql": [
    '{{config materialized="incremental" unique_key="session_id" watermark="at" tags="marts,core"}}',
    'select session_id, max(event_ts) as at from {{ref "stg"}} group by 1',
  ].join("\n"),
  "marts/daily.sql": '{{config materialized="table"}}\nselect count(*) as sessions from {{ref "sessions"}}',
  "schema.yml": [
    "models:",
    "  - name: sessions",
    "    columns:",
    "      - name: session_id",
    "        tests: [unique, { not_null: { severity: warn } }]",
  ].join("\n"),
  "tests/daily_not_empty.sql": 'select 1 from {{ref "daily"}} having count(*) = 0',
});

function ls(select: string[], exclude?: string[]) {
  const lines: string[] = [];
  const errors: string[] = [];
  const code = list({ ...p, select, exclude, log: (l) => lines.push(l), errorLog: (l) => errors.push(l) });
  return { code, lines, errors };
}

describe("dbt's selector methods", () => {
  it("selects a folder by its bare name or fqn, as dbt's default fqn method does", () => {
    expect(ls(["marts"]).lines).toEqual([
      "sessions",
      "unique_sessions_session_id",
      "not_null_sessions_session_id",
      "daily",
      "daily_not_empty",
    ]);
    expect(ls(["fqn:demo.marts.daily"]).lines).toEqual(["daily", "daily_not_empty"]);
    // A bare value that looks like a file is a path, as in dbt.
    expect(ls(["models/marts/daily.sql"]).lines).toEqual(["daily", "daily_not_empty"]);
    expect(ls(["fqn:marts.s*"]).lines).toEqual([
      "sessions",
      "unique_sessions_session_id",
      "not_null_sessions_session_id",
    ]);
    expect(ls(["file:stg.sql", "file:daily"]).lines).toEqual(["stg", "daily", "daily_not_empty"]);
    expect(ls(["package:demo"], ["marts"]).lines).toEqual(["stg"]);
  });

  it("selects by resource_type, test_type, test_name and any config key", () => {
    expect(ls(["resource_type:test"]).lines).toEqual([
      "unique_sessions_session_id",
      "not_null_sessions_session_id",
      "daily_not_empty",
    ]);
    expect(ls(["resource_type:model"], ["resource_type:test"]).lines).toEqual(["stg", "sessions", "daily"]);
    expect(ls(["resource_type:source+1"]).lines).toEqual(["stg"]);
    expect(ls(["test_type:singular"]).lines).toEqual(["daily_not_empty"]);
    expect(ls(["test_type:generic,test_name:not_null"]).lines).toEqual(["not_null_sessions_session_id"]);
    expect(ls(["config.severity:warn"]).lines).toEqual(["not_null_sessions_session_id"]);
    // As dbt 1.8's: data is every data test, generic and singular.
    expect(ls(["test_type:data"]).lines).toEqual(ls(["resource_type:test"]).lines);
    expect(ls(["config.tags:core", "config.incremental_strategy:delete+insert"]).lines[0]).toBe("sessions");
    expect(ls(["config.unique_key:session_id"], ["resource_type:test"]).lines).toEqual(["sessions"]);
  });

  it("intersects with a model's tests, as dbt does (dbt test -s 'orders,test_type:generic')", () => {
    expect(ls(["sessions,test_type:generic"]).lines).toEqual([
      "unique_sessions_session_id",
      "not_null_sessions_session_id",
    ]);
    expect(ls(["resource_type:test,daily"]).lines).toEqual(["daily_not_empty"]);
    expect(ls(["marts,test_name:unique"]).lines).toEqual(["unique_sessions_session_id"]);
    expect(ls(["resource_type:test,+daily"]).lines).toEqual([
      "unique_sessions_session_id",
      "not_null_sessions_session_id",
      "daily_not_empty",
    ]);
    expect(ls(["sessions+"], ["test_type:singular,daily"]).lines).toEqual([
      "sessions",
      "unique_sessions_session_id",
      "not_null_sessions_session_id",
      "daily",
    ]);
  });

  it("selects a data test by its tags, its column's and a singular test's, as dbt's tag: does", () => {
    const q = tempProject({
      "orders.sql": "select 1 as id",
      "schema.yml": [
        "models:",
        "  - name: orders",
        "    data_tests:",
        "      - unique: { column_name: id, tags: [critical] }",
        "    columns:",
        "      - name: id",
        "        tags: [key]",
        "        data_tests: [{ not_null: { config: { tags: nightly } } }, { accepted_values: { values: [1] } }]",
      ].join("\n"),
      "tests/slow_check.sql": '{{config tags="slow,nightly"}}\nselect * from {{ref "orders"}} where id < 0',
    });
    try {
      const tagged = (select: string) => {
        const lines: string[] = [];
        list({ ...q, select: [select], log: (l) => lines.push(l), errorLog: () => {} });
        return lines;
      };
      expect(tagged("tag:critical")).toEqual(["unique_orders_id"]);
      expect(tagged("tag:key")).toEqual(["not_null_orders_id", "accepted_values_orders_id__1"]);
      expect(tagged("tag:nightly")).toEqual(["not_null_orders_id", "slow_check"]);
      const bad = tempProject({
        "orders.sql": "select 1 as id",
        "schema.yml": columnTests("orders", "id", ["        tests: [{ unique: { tags: 3 } }]"]),
      });
      const errors: string[] = [];
      list({ ...bad, log: () => {}, errorLog: (l) => errors.push(l) });
      expect(errors.join("\n")).toContain(
        "tags must be a text or a list of texts, such as [critical, nightly], not 3",
      );
      rmSync(bad.root, { recursive: true, force: true });
    } finally {
      rmSync(q.root, { recursive: true, force: true });
    }
  });

  it("warns for a dbt resource type the project has none of, and names the methods for an unknown one", () => {
    const seeds = ls(["resource_type:seed"]);
    expect(seeds.code).toBe(0);
    expect(seeds.errors).toContain(
      '[WARNING]: the selector "resource_type:seed" matches nothing: the project has no seed',
    );
    expect(ls(["resource_type:modle"]).errors).toEqual([
      'Selection error: unknown resource type "modle" in "resource_type:modle" (a project here has model, test and source)',
    ]);
    expect(ls(["test_type:unique"]).errors).toEqual([
      'Selection error: unknown test type "unique" in "test_type:unique" (use data, generic or singular)',
    ]);
    const unknown = ls(["exposure:weekly+"]);
    expect(unknown.code).toBe(2);
    expect(unknown.errors[0]).toContain('unknown selector method "exposure" in "exposure:weekly+"');
    expect(unknown.errors[0]).toContain("(use a name, fqn:, tag:, path:, file:");
  });

  it("selects by the last run's status with result:, to run again what failed and what it skipped", async () => {
    const q = tempProject({
      "ok.sql": "select 1 as id",
      "broken.sql": 'select id, nope from {{ref "ok"}}',
      "after.sql": 'select * from {{ref "broken"}}',
      "schema.yml":
        "models:\n  - name: ok\n    columns:\n      - name: id\n        tests: [{ accepted_values: { values: [2], quote: false, severity: warn } }]\n",
    });
    // Before any run there is no run_results.json: the warning says so, not that nothing failed.
    const warnings: string[] = [];
    list({ ...q, select: ["result:error+"], log: () => {}, errorLog: (l) => warnings.push(l) });
    expect(warnings[0]).toBe(
      `[WARNING]: the selector "result:error+" matches nothing: there is no last run to read, as DATA/target (or --state's folder) holds no run_results.json that names a node of this project`,
    );
    expect((await run("build", q)).code).toBe(1);
    const selected = (select: string) => {
      const lines: string[] = [];
      list({ ...q, select: [select], log: (l) => lines.push(l), errorLog: () => {} });
      return lines;
    };
    expect(selected("result:error+")).toEqual(["broken", "after"]);
    expect(selected("result:warn")).toEqual(["accepted_values_ok_id__False__2"]);
    expect(selected("result:skipped")).toEqual(["after"]);
    writeFiles(q.models, { "broken.sql": 'select id from {{ref "ok"}}' });
    const again = await run("run", q, { select: ["result:error+", "result:skipped+"] });
    expect(again.output).toContain("Done. PASS=2 WARN=0 ERROR=0 SKIP=0 TOTAL=2");
    expect(selected("result:error")).toEqual([]);
    expect(ls(["result:errors"]).errors).toEqual([
      'Selection error: unknown status "errors" in "result:errors" (use success, error, skipped, pass, fail, warn)',
    ]);
  });
});
