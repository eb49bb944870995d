import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { event, hourAt, iso, run, tempProject, writeEvents } from "./testkit.ts";
import { openWarehouse } from "./warehouse.ts";

// base (table) → eph (ephemeral) → top (table); the default selector picks top alone.
const files = {
  "base.sql": '{{config materialized="table"}}\nselect 1 as id',
  "eph.sql": '{{config materialized="ephemeral"}}\nselect id from {{ref "base"}}',
  "top.sql": '{{config materialized="table"}}\nselect id from {{ref "eph"}}',
  "selectors.yml": "selectors:\n  - name: top_alone\n    default: true\n    definition: top\n",
};

describe("a selection that leaves out models it reads, on a warehouse that never had them", () => {
  it("under the default selector, builds them along once and says so", async () => {
    const p = tempProject(files);
    const first = await run("build", p);
    expect(first.code, first.output).toBe(0);
    expect(first.lines).toContain(
      'Also building base: the default selector "top_alone" leaves it out, but what it selects reads it and the warehouse does not have it yet',
    );
    expect(first.output).toContain("OK created sql table model main.base");
    // Built now, it is left to the selection again.
    const again = await run("build", p);
    expect(again.code).toBe(0);
    expect(again.output).not.toContain("Also building");
    expect(again.output).not.toContain("main.base");
  });

  it("selected on the command line, stays left out, and the model that fails says what to select", async () => {
    const p = tempProject(files);
    const selected = await run("run", p, { select: ["top"] });
    expect(selected.code).toBe(1);
    expect(selected.output).not.toContain("Also building");
    expect(selected.output).toContain(
      'eph reads "base", which this selection leaves out and the warehouse does not have yet: select it too (+top selects top with every ancestor), or build it first',
    );
    writeFileSync(
      join(p.models, "selectors.yml"),
      files["selectors.yml"].replace("default: true", "default: false"),
    );
    const explicit = await run("run", p, { selector: "top_alone" });
    expect(explicit.code).toBe(1);
    expect(explicit.output).toContain('eph reads "base", which this selection leaves out');
  });
});

describe("a view built while its source had no file, which the selection leaves out", () => {
  // stg, a view of the events source, and top, a table of it; the default selector picks top alone.
  const staged = {
    "stg.sql": '{{config materialized="view"}}\nselect event_id from {{source "events"}}',
    "top.sql": '{{config materialized="table"}}\nselect event_id from {{ref "stg"}}',
    "selectors.yml": "selectors:\n  - name: top_alone\n    default: true\n    definition: top\n",
  };

  it("is built again along with the default selection once the source has files, and said so", async () => {
    const p = tempProject(staged);
    expect((await run("build", p)).code).toBe(0);
    writeEvents(p.data, hourAt(1), [event("e1", iso(1, 5))]);
    const next = await run("build", p);
    expect(next.code, next.output).toBe(0);
    expect(next.lines).toContain(
      'Also building stg: the default selector "top_alone" leaves it out, but what it selects reads it and the warehouse has it as a view built while its source had no file',
    );
    const wh = await openWarehouse(p.data);
    try {
      expect(await wh.all("select event_id from top")).toEqual([{ event_id: "e1" }]);
    } finally {
      wh.close();
    }
    // Built with the file, it is left to the selection again.
    expect((await run("build", p)).output).not.toContain("Also building");
  });

  it("selected on the command line, stays left out, with a warning that it reads no row", async () => {
    const p = tempProject(staged);
    expect((await run("build", p)).code).toBe(0);
    writeEvents(p.data, hourAt(1), [event("e1", iso(1, 5))]);
    const selected = await run("run", p, { select: ["top"] });
    expect(selected.code).toBe(0);
    expect(selected.lines).toContain(
      "[WARNING]: stg is a view built while its source had no file, so it reads no row until it is built again: select it too (+top selects top with every ancestor)",
    );
  });
});
