// A mistake inside a macro is named with the macro's file and line, and the line of the model (or of
// the macro) that includes it: a DuckDB error on a line the macro wrote, and a template error in it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileProject } from "./compile.ts";
import { location } from "./console.ts";
import type { RunResults } from "./run-results.ts";
import { renderTemplate } from "./template.ts";
import { event, run, tempProject, writeEvents } from "./testkit.ts";

const readJson = <T>(data: string, file: string) =>
  JSON.parse(readFileSync(join(data, "target", file), "utf8")) as T;

const stg = { "staging/stg.sql": 'select * from {{source "events"}}' };

/** The macro's third line calls a function DuckDB does not have; the model includes it on its line 4. */
const goalName = {
  ...stg,
  "macros/goal_name.sql": "-- a goal's name\ncoalesce(\n  no_such_fn(event_type), 'none'\n) as goal\n",
  "marts/goals.sql": [
    '{{config materialized="table"}}',
    "select",
    "  event_id,",
    "  {{> goal_name}}",
    'from {{ref "stg"}}',
  ].join("\n"),
};

describe("a DuckDB error on a line a macro wrote", () => {
  it("names the macro's file and line and the model's line that includes it", async () => {
    const p = tempProject(goalName);
    writeEvents(p.data, new Date("2026-03-01T05:00:00Z"), [event("a", "2026-03-01T05:10:00Z")]);
    const { code, output } = await run("run", p);
    expect(code).toBe(1);
    expect(output).toContain(
      "Runtime Error in model goals (models/macros/goal_name.sql:3, included from models/marts/goals.sql:4)\n",
    );
    // DuckDB's LINE names the macro's line, with its caret still under the function.
    const at = output.split("\n").findIndex((l) => l.includes("LINE 3 of models/macros/goal_name.sql:"));
    expect(at).toBeGreaterThan(0);
    const [lineText, caret] = output.split("\n").slice(at, at + 2) as [string, string];
    expect(lineText.indexOf("no_such_fn")).toBe(caret.indexOf("^"));
    const result = readJson<RunResults>(p.data, "run_results.json").results.find(
      (r) => r.unique_id === "model.demo.goals",
    );
    expect(result?.status).toBe("error");
    expect(result?.adapter_response).toEqual({
      line: 4,
      macro_lines: [{ file: "models/macros/goal_name.sql", line: 3 }],
    });
    expect(result?.message).toContain("LINE 3 of models/macros/goal_name.sql:");
    // The compiled query carries no mark of where its lines came from.
    const compiled = readFileSync(join(p.data, "target", "compiled", "models", "marts", "goals.sql"), "utf8");
    expect(compiled).toContain("  no_such_fn(event_type), 'none'\n");
    expect(compiled).not.toMatch(/[\u0001-\u0005]/);
  });

  it("names each macro of a chain, its last line, and a singular test's line", async () => {
    const p = tempProject({
      ...stg,
      // Its error is on its last line, which has no line end of its own.
      "macros/inner.sql": "select\n  1 as one,\n  no_such_fn(2) as two",
      "macros/outer.sql": "-- the inner query\n{{> inner}}\n",
      "marts/m.sql": '{{config materialized="table"}}\nselect * from (\n  {{> outer}}\n) as t',
      "tests/t_checks.sql": "select *\nfrom (\n{{> inner}}\n) as t\nwhere false",
    });
    const { code, output } = await run("build", p);
    expect(code).toBe(1);
    expect(output).toContain(
      "Runtime Error in model m (models/macros/inner.sql:3, included from models/macros/outer.sql:2, included from models/marts/m.sql:3)\n",
    );
    expect(output).toContain("LINE 3 of models/macros/inner.sql:");
    expect(output).toContain(
      "Runtime Error in test t_checks (models/macros/inner.sql:3, included from models/tests/t_checks.sql:3)\n",
    );
  });

  it("keeps naming the model's own line, also one that includes a macro", async () => {
    const p = tempProject({
      ...goalName,
      "macros/goal_name.sql": "coalesce(event_type, 'none') as goal",
      "marts/goals.sql": [
        '{{config materialized="table"}}',
        "select",
        "  {{> goal_name}},",
        "  no_such_column, {{> goal_name}}",
        'from {{ref "stg"}}',
      ].join("\n"),
    });
    const { code, output } = await run("run", p);
    expect(code).toBe(1);
    expect(output).toContain("Runtime Error in model goals (models/marts/goals.sql:4)\n");
    expect(output).toContain("LINE 4:");
    const result = readJson<RunResults>(p.data, "run_results.json").results.find(
      (r) => r.unique_id === "model.demo.goals",
    );
    expect(result?.adapter_response).toEqual({ line: 4 });
  });
});

describe("a macro's marks", () => {
  it("leave no trace in the SQL, whatever text is next to them", () => {
    const rendered = renderTemplate({
      text: "select {{> answer}} as answer, {{> answer}}1 as more,\n  {{> two}}0 as last",
      vars: {},
      isIncremental: false,
      self: 'main."me"',
      relationOf: (m) => `main."${m}"`,
      knownSources: new Set(),
      macros: { answer: "42", two: "1,\n2" },
    });
    expect(rendered.errors).toEqual([]);
    expect(rendered.sql).toBe("select 42 as answer, 421 as more,\n  1,\n20 as last");
    expect(rendered.lineMap).toEqual([1, 2, 2]);
    expect(rendered.macroLines).toEqual([undefined, [{ file: "two", line: 1 }]]);
  });
});

describe("a template error inside a macro", () => {
  it("names the macro's file and line and the line that includes it", async () => {
    const p = tempProject({
      ...stg,
      "macros/strict.sql": "select\n  1 as one,\n  {{missing_thing}} as two",
      "macros/wraps.sql": "select * from (\n  {{> strict}}\n)",
      "marts/t.sql": "select 1 as one, 2 as two\nunion all\n{{> strict}}",
      "marts/u.sql": "-- wrapped\n{{> wraps}}",
    });
    const errors = compileProject(p.models).errors;
    expect(errors).toContainEqual({
      file: "models/marts/t.sql",
      line: 3,
      macroLines: [{ file: "models/macros/strict.sql", line: 3 }],
      message: '"missing_thing" is not defined (a missing helper or variable)',
    });
    const { code, output } = await run("run", p);
    expect(code).toBe(2);
    expect(output).toContain(
      "Compilation Error in models/macros/strict.sql:3, included from models/marts/t.sql:3\n" +
        '    "missing_thing" is not defined (a missing helper or variable)',
    );
    expect(output).toContain(
      "Compilation Error in models/macros/strict.sql:3, included from models/macros/wraps.sql:2, included from models/marts/u.sql:2\n",
    );
  });
});

describe("a ref or a source a macro names that does not exist", () => {
  it("is named with the macro's file and line", () => {
    const p = tempProject({
      ...stg,
      "macros/reads.sql": 'select *\nfrom {{ref "stgg"}}\nunion all\nselect * from {{source "event"}}',
      "marts/x.sql": "-- reads\nselect * from (\n  {{> reads}}\n)",
    });
    const where = compileProject(p.models).errors.map(
      (e) => `${location(e.file, e.line, e.macroLines)} ${e.message.split(" (")[0]}`,
    );
    expect(where).toContain(
      'models/macros/reads.sql:2, included from models/marts/x.sql:3 ref to a model that does not exist: "stgg"',
    );
    expect(where).toContain(
      'models/macros/reads.sql:4, included from models/marts/x.sql:3 unknown source "event"',
    );
  });
});
