import { describe, expect, it } from "vitest";
import { listNodes, run, tempProject } from "./testkit.ts";

// ev reads the source; other reads nothing. const_fail reads nothing at all and always fails;
// src_test reads the source alone (and passes: no event has no path).
const p = tempProject({
  "ev.sql": 'select event_id from {{source "events"}}',
  "other.sql": "select 1 as x",
  "schema.yml": "models:\n  - name: ev\n    columns:\n      - name: event_id\n        tests: [not_null]\n",
  "tests/const_fail.sql": "select 1 as x",
  "tests/src_test.sql": 'select * from {{source "events"}} where page_path is null',
});
const ls = (opts: Parameters<typeof listNodes>[1] = {}) => listNodes(p, opts).lines;

describe("a data test that reads no model", () => {
  it("runs with no selection, and is selected and excluded as any other node", () => {
    expect(ls()).toEqual(["const_fail", "src_test", "ev", "not_null_ev_event_id", "other"]);
    expect(ls({ exclude: ["const_fail"] })).toEqual(["src_test", "ev", "not_null_ev_event_id", "other"]);
    expect(ls({ select: ["const_fail"] })).toEqual(["const_fail"]);
    expect(ls({ select: ["test_type:generic"] })).toEqual(["not_null_ev_event_id"]);
    expect(ls({ select: ["test_type:singular"] })).toEqual(["const_fail", "src_test"]);
    expect(ls({ select: ["path:models/tests"] })).toEqual(["const_fail", "src_test"]);
    expect(ls({ select: ["source:events+"] })).toEqual(["src_test", "ev", "not_null_ev_event_id"]);
  });

  it("is not pulled in by a selection of models it does not read", () => {
    expect(ls({ select: ["ev"] })).toEqual(["ev", "not_null_ev_event_id"]);
    expect(ls({ select: ["ev"], exclude: ["src_test"] })).toEqual(["ev", "not_null_ev_event_id"]);
    expect(ls({ select: ["tag:nonexistent"] })).toEqual([]);
  });

  it("comes with no selection as a model's tests do under --indirect-selection", () => {
    expect(ls({ indirectSelection: "cautious" })).toEqual(ls());
    expect(ls({ indirectSelection: "empty" })).toEqual(["ev", "other"]);
  });

  it("fails a run only when it is selected", async () => {
    expect((await run("run", p)).code).toBe(0);
    const excluded = await run("test", p, { exclude: ["const_fail"] });
    expect(excluded.output).not.toContain("const_fail");
    expect(excluded.code).toBe(0);
    const nothing = await run("build", p, { select: ["tag:nonexistent"] });
    expect(nothing.output).toContain("Nothing to do");
    expect(nothing.lines.at(-1)).toBe("Done. PASS=0 WARN=0 ERROR=0 SKIP=0 TOTAL=0");
    expect(nothing.code).toBe(0);
    const whole = await run("test", p);
    expect(whole.output).toMatch(/FAIL 1 const_fail/);
    expect(whole.code).toBe(1);
  });
});
