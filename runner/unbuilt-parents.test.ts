import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run, tempProject } from "./testkit.ts";

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
