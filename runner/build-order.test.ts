import { describe, expect, it } from "vitest";
import { event, run, runOrder, tempProject, writeEvents } from "./testkit.ts";

/** Model a (ids 1 and 2), whose id must be found in `to`, plus the given models. */
const relatedProject = (to: string, models: Record<string, string>) =>
  tempProject({
    "a.sql": '{{config materialized="table"}}\nselect * from (values (1), (2)) t(id)',
    ...models,
    "schema.yml": `models:\n  - name: a\n    columns:\n      - name: id\n        tests:\n          - relationships: { to: ${to}, field: id }\n`,
  });

describe("build order", () => {
  it("runs a model's error tests before the models that read all they read, so a failure skips those alone", async () => {
    const p = relatedProject("z", {
      "b.sql": 'select * from {{ref "a"}}',
      "zz.sql": 'select * from {{ref "a"}} join {{ref "z"}} using (id)',
      "z.sql": '{{config materialized="table"}}\nselect 1 as id',
    });
    const { code, lines } = await run("build", p);
    expect(code).toBe(1);
    // The test reads a and z, so it waits for z, and zz, which reads both, waits for it; b reads a
    // alone, so, as in dbt's build, it neither waits for the test nor is skipped by it.
    expect(runOrder(lines)).toEqual(["a", "b", "z", "relationships_a_id__id__z", "skip zz"]);
    expect(lines.at(-1)).toBe("Done. PASS=3 WARN=0 ERROR=1 SKIP=1 TOTAL=5");
  });

  it("does not wait for a test that needs the reader itself built", async () => {
    const p = relatedProject("b", {
      "b.sql": '{{config materialized="table"}}\nselect id from {{ref "a"}} where id = 1',
    });
    const { code, lines } = await run("build", p);
    expect(code).toBe(1);
    expect(runOrder(lines)).toEqual(["a", "b", "relationships_a_id__id__b"]);
  });

  it("runs a test that reads only a source, first, and fails the build on its rows", async () => {
    const p = tempProject({
      "stg.sql": 'select event_id from {{source "events"}}',
      "other.sql": "select 1 as x",
      "tests/raw_pages_have_a_path.sql": 'select * from {{source "events"}} where page_path is null',
    });
    writeEvents(p.data, new Date("2026-03-01T05:00:00Z"), [
      event("a", "2026-03-01T05:10:00Z"),
      event("b", "2026-03-01T05:11:00Z", { page_path: null }),
    ]);
    const all = await run("test", p);
    expect(all.code).toBe(1);
    expect(all.lines.some((l) => /^1 of 1 FAIL 1 raw_pages_have_a_path \.+ \[FAIL 1 in/.test(l))).toBe(true);
    const built = await run("build", p);
    expect(runOrder(built.lines)).toEqual(["raw_pages_have_a_path", "other", "stg"]);
    // A selection of models that do not read the source leaves it out.
    const other = await run("test", p, { select: ["other"] });
    expect(other.lines.at(-1)).toBe("Done. PASS=0 WARN=0 ERROR=0 SKIP=0 TOTAL=0");
  });

  it("compares accepted values as strings unless quote: false, and refuses arguments it does not know", async () => {
    const files = (values: string) => ({
      "codes.sql": "select * from (values ('1'), ('01')) t(code)",
      "schema.yml": `models:\n  - name: codes\n    columns:\n      - name: code\n        tests:\n          - accepted_values: ${values}\n`,
    });
    const quoted = tempProject(files("{ values: [1, 2] }"));
    const strict = await run("build", quoted);
    expect(strict.output).toMatch(/FAIL 1 accepted_values_codes_code/);
    const loose = await run("build", tempProject(files("{ values: [1, 2], quote: false }")));
    expect(loose.output).toMatch(/PASS accepted_values_codes_code/);
    expect(loose.code).toBe(0);
    const misspelt = await run("build", tempProject(files("{ values: [1], severty: warn }")));
    expect(misspelt.code).toBe(2);
    expect(misspelt.output).toContain('accepted_values has no argument "severty"');
  });
});
