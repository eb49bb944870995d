// What a failing error-severity test holds back: in `build`, the models that read what it tests,
// and nothing outside its lineage; in `test`, nothing (each test stands on its own).
import { describe, expect, it } from "vitest";
import { event, run, tempProject, writeEvents } from "./testkit.ts";

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
});
