// What a failing error-severity test holds back: in `build`, the models that read what it tests,
// and nothing outside its lineage; in `test`, nothing (each test stands on its own).
import { describe, expect, it } from "vitest";
import { event, run, runOrder, tempProject, writeEvents } from "./testkit.ts";

const events = [
  event("a", "2026-03-01T05:10:00Z"),
  event("b", "2026-03-01T05:11:00Z", { event_type: "cta_click" }),
];

function project(files: Record<string, string>) {
  const p = tempProject({
    "ev.sql": '{{config materialized="table"}}\nselect event_id, event_type from {{source "events"}}',
    ...files,
  });
  writeEvents(p.data, new Date("2026-03-01T05:00:00Z"), events);
  return p;
}

describe("a failing test", () => {
  it("in `test`, leaves the other tests to run, an ephemeral model's among them", async () => {
    const p = project({
      "eph.sql": '{{config materialized="ephemeral"}}\nselect event_id from {{ref "ev"}}',
      "schema.yml": [
        "models:",
        "  - name: ev",
        "    columns:",
        "      - name: event_type",
        "        tests: [{ accepted_values: { values: [page_view] } }]",
        "  - name: eph",
        "    columns:",
        "      - name: event_id",
        "        tests: [unique]",
      ].join("\n"),
    });
    expect((await run("run", p)).code).toBe(0);
    const tested = await run("test", p);
    expect(tested.code).toBe(1);
    expect(tested.output).toMatch(/FAIL 1 accepted_values_ev_event_type__page_view/);
    expect(tested.output).not.toContain("SKIP relation");
    expect(tested.output).toMatch(/OK created sql ephemeral model temp\.eph/);
    expect(tested.output).toMatch(/PASS unique_eph_event_id/);
    expect(tested.lines.at(-1)).toBe("Done. PASS=2 WARN=0 ERROR=1 SKIP=0 TOTAL=3");
    // `build` still holds back what reads the failed model.
    const built = await run("build", p);
    expect(built.output).toMatch(/SKIP relation temp\.eph/);
  });

  it("in `build`, holds back only the models that read everything it reads", async () => {
    const p = project({
      "per_day.sql": '{{config materialized="table"}}\nselect 1 as day',
      "ev_child.sql": 'select * from {{ref "ev"}}',
      "both_child.sql": 'select * from {{ref "ev"}}, {{ref "per_day"}}',
      "tests/types_per_day.sql":
        'select * from {{ref "per_day"}}, {{ref "ev"}} where event_type <> \'page_view\'',
    });
    const built = await run("build", p);
    expect(built.code).toBe(1);
    // ev_child reads ev alone: the test, which reads per_day too, is no test of its lineage.
    expect(runOrder(built.lines)).toEqual(["ev", "per_day", "types_per_day", "skip both_child", "ev_child"]);
  });

  it("in `build`, holds back no reader of a model whose relationships test points at a model it does not read", async () => {
    const p = project({
      "ids.sql": "{{config materialized=\"table\"}}\nselect * from (values ('a')) t(event_id)",
      "ev_child.sql": 'select * from {{ref "ev"}}',
      "joined.sql": 'select * from {{ref "ev"}} join {{ref "ids"}} using (event_id)',
      "schema.yml": [
        "models:",
        "  - name: ev",
        "    columns:",
        "      - name: event_id",
        "        tests: [{ relationships: { to: ids, field: event_id } }]",
      ].join("\n"),
    });
    const built = await run("build", p);
    expect(built.code).toBe(1);
    expect(runOrder(built.lines)).toEqual([
      "ev",
      "ev_child",
      "ids",
      "relationships_ev_event_id__event_id__ids",
      "skip joined",
    ]);
  });
});
