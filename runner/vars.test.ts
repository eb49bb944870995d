import { describe, expect, it } from "vitest";
import { compileProject } from "./compile.ts";
import { tempProject } from "./testkit.ts";
import { varsErrors } from "./vars.ts";

describe("--vars", () => {
  it("refuses a value of another shape than its default: a text for a list, a list for a number", () => {
    const p = tempProject({ "a.sql": "select list_contains({{var \"conversion_events\"}}, 'x') as c" });
    expect(compileProject(p.models, { vars: { conversion_events: "cta_click" } }).errors).toEqual([
      {
        file: "--vars",
        message:
          'variable "conversion_events" is a list in project.yml (["cta_click"]), so --vars must give a list too, not "cta_click"',
      },
    ]);
    expect(varsErrors({ z: 3.5 }, { z: [3] })[0]?.message).toMatch(/^variable "z" is a single value/);
    expect(varsErrors({ steps: { a: 1 } }, { steps: "a" })[0]?.message).toMatch(
      /is a mapping in project.yml/,
    );
  });

  it("takes a value of the default's shape, and anything for a null default or as a null", () => {
    const declared = { events: ["a"], z: 3.5, since: null, name: "x" };
    expect(varsErrors(declared, { events: ["b", "c"], z: 4, since: [1], name: "y" })).toEqual([]);
    expect(varsErrors(declared, { z: null, name: 7, events: [] })).toEqual([]);
  });
});
