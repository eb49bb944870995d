// Macros: models/macros/*.sql, included with {{> name param="value"}} in models and singular tests.
import { describe, expect, it } from "vitest";
import { compileProject } from "./compile.ts";
import { location } from "./console.ts";
import { bindRefs } from "./template-marks.ts";
import { event, run, tempProject, writeEvents } from "./testkit.ts";
import { openWarehouse } from "./warehouse.ts";

const macros = {
  "macros/page_views.sql":
    "{{!-- Page views, optionally of one path. --~}}\nselect * from {{ref \"stg\"}} where event_type = 'page_view'{{#if path}} and page_path = {{literal path}}{{/if}}",
};

describe("macros", () => {
  it("are included with parameters, record their refs, and are not models", async () => {
    const p = tempProject({
      ...macros,
      "staging/stg.sql": 'select * from {{source "events"}}',
      "marts/pricing_views.sql":
        '{{config materialized="table"}}\nselect count(*) as views\nfrom ({{> page_views path="/pricing"}})',
      "tests/pricing_has_views.sql":
        "select * from ({{> page_views path=\"/pricing\"}}) where page_path <> '/pricing'",
    });
    const project = compileProject(p.models);
    expect(project.errors).toEqual([]);
    expect([...project.models.keys()].sort()).toEqual(["pricing_views", "stg"]);
    expect(project.models.get("pricing_views")?.parents).toEqual(["stg"]);
    expect(bindRefs(project.models.get("pricing_views")?.full.sql ?? "")).toContain(
      `select * from main."stg" where event_type = 'page_view' and page_path = '/pricing'`,
    );
    writeEvents(p.data, new Date("2026-03-01T05:00:00Z"), [
      event("a", "2026-03-01T05:10:00Z", { page_path: "/pricing" }),
      event("b", "2026-03-01T05:11:00Z", { page_path: "/pricing", event_type: "cta_click" }),
      event("c", "2026-03-01T05:12:00Z"),
    ]);
    const built = await run("build", p);
    expect(built.code).toBe(0);
    expect(built.output).toMatch(/PASS pricing_has_views/);
    const wh = await openWarehouse(p.data);
    expect(await wh.all("select views from pricing_views")).toEqual([{ views: 1 }]);
    wh.close();
  });

  it("name a missing macro, a missing parameter and a duplicate, each with its file and line", () => {
    const p = tempProject({
      ...macros,
      "macros/more/page_views.sql": "select 1",
      "staging/stg.sql": 'select * from {{source "events"}}',
      "marts/a.sql": "select * from ({{> nope}})",
      "macros/by_column.sql": 'select {{column}} from {{ref "stg"}}',
      "marts/b.sql": "select 1\nfrom ({{> by_column}})",
    });
    const messages = compileProject(p.models).errors.map(
      (e) => `${location(e.file, e.line, e.macroLines)} ${e.message}`,
    );
    expect(messages).toContain(
      'models/macros/page_views.sql two macros are named "page_views": models/macros/more/page_views.sql and models/macros/page_views.sql (macro names must be unique)',
    );
    expect(messages).toContain(
      "models/marts/a.sql:1 unknown macro {{> nope}} (macros are models/macros/*.sql)",
    );
    expect(messages).toContain(
      'models/macros/by_column.sql:1, included from models/marts/b.sql:2 "column" is not defined (a missing helper or variable)',
    );
  });

  it("included on a line of their own, end that line, also inside a macro and a block", async () => {
    const p = tempProject({
      "macros/kind.sql": "event_type -- what happened\n",
      "macros/columns.sql": "event_id,\n  {{> kind}}\n",
      "staging/stg.sql": 'select * from {{source "events"}}',
      "marts/m.sql": [
        '{{config materialized="table"}}',
        "select",
        "  {{> columns}}",
        'from {{ref "stg"}}',
        "{{#unless is_incremental}}",
        "  where event_type = 'page_view' and",
        "    {{> kind}}",
        "    is not null",
        "{{/unless}}",
      ].join("\n"),
      "macros/unknown_column.sql": "no_such_column,\n",
      "marts/broken.sql": 'select\n  {{> unknown_column}}\n  1 as one\nfrom {{ref "stg"}}',
    });
    writeEvents(p.data, new Date("2026-03-01T05:00:00Z"), [
      event("a", "2026-03-01T05:10:00Z"),
      event("b", "2026-03-01T05:11:00Z", { event_type: "cta_click" }),
    ]);
    const { code, output } = await run("run", p);
    expect(output).toMatch(/models\/marts\/broken\.sql:2\)/);
    expect(code).toBe(1);
    const wh = await openWarehouse(p.data);
    expect(await wh.all("select event_id, event_type from m")).toEqual([
      { event_id: "a", event_type: "page_view" },
    ]);
    wh.close();
  });

  it("map a DuckDB error on a macro's line to the line that includes it", async () => {
    const p = tempProject({
      "macros/broken.sql": 'select no_such_column from {{ref "stg"}}',
      "staging/stg.sql": 'select * from {{source "events"}}',
      "marts/m.sql": '{{config materialized="table"}}\nselect 1 as one\nunion all\n{{> broken}}',
    });
    writeEvents(p.data, new Date("2026-03-01T05:00:00Z"), [event("a", "2026-03-01T05:10:00Z")]);
    const { code, output } = await run("run", p);
    expect(code).toBe(1);
    expect(output).toMatch(/models\/marts\/m\.sql:4/);
  });
});
