import { describe, expect, it } from "vitest";
import { varsMapping } from "../cli-arguments.ts";
import { compileProject } from "./compile.ts";
import { eventsSource, listNodes, tempProject } from "./testkit.ts";

const models = {
  "a.sql": 'select 1 as id{{#if vars.include_all}}, 2 as extra{{/if}}, {{var "country"}} as country',
  "b.sql": 'select id from {{ref "a"}}',
  "off/c.sql": "select 3 as id",
  "schema.yml":
    "models:\n  - name: b\n    columns:\n      - name: id\n        tests:\n          - not_null: { enabled: no }\n          - unique",
};
const projectYml = `name: demo
vars:
  include_all: no
  country: 'NO'
folders:
  off: { enabled: Off }
${eventsSource}`;

describe("YAML 1.1's yes/no/on/off, which dbt reads as booleans", () => {
  it("are true and false in selectors.yml, schema.yml and project.yml alike; quoted, they stay text", () => {
    const p = tempProject(
      {
        ...models,
        "selectors.yml":
          "selectors:\n  - name: just_b\n    default: yes\n    definition: { method: fqn, value: b, parents: YES }\n",
      },
      projectYml,
    );
    const listed = listNodes(p);
    expect(listed.code).toBe(0);
    // The default selector is applied with its parents; the disabled test and folder are left out.
    expect(listed.lines).toEqual(["a", "b", "unique_b_id"]);
    expect(listed.errors[0]).toContain('Using the default selector "just_b"');

    const project = compileProject(p.models);
    expect(project.errors).toEqual([]);
    expect(project.vars).toEqual({ include_all: false, country: "NO" });
    expect(project.models.get("a")?.full.sql).toBe("select 1 as id, 'NO' as country");
  });

  it("where a text is expected, make an error that says to quote them", () => {
    const p = tempProject({
      "a.sql": "select 1 as no",
      "schema.yml": "models:\n  - name: a\n    columns:\n      - name: no\n        tests: [not_null]\n",
    });
    const [error] = compileProject(p.models).errors;
    expect(`${error?.file}:${error?.line} ${error?.message}`).toBe(
      "models/schema.yml:4 models.0.columns.0.name: Invalid input: expected string, received boolean (an unquoted no is false in YAML 1.1, as dbt reads it: quote it, 'no', for the text)",
    );
  });

  it("are booleans in --vars too, as dbt reads them", () => {
    expect(varsMapping("{include_all: on, country: 'no'}")).toEqual({ include_all: true, country: "no" });
  });
});
