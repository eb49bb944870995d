import { describe, expect, it } from "vitest";
import { compileProject } from "./compile.ts";
import { tempProject } from "./testkit.ts";

describe("schema.yml", () => {
  it("refuses a model described twice, whose second entry would replace the first's description and config", () => {
    const p = tempProject({
      "orders.sql": "select 1 as id",
      "schema.yml": [
        "models:",
        "  - name: orders",
        "    config: { materialized: table }",
        "  - name: other",
        "  - name: orders",
        "    description: again",
      ].join("\n"),
    });
    expect(compileProject(p.models).errors.map((e) => `${e.file}:${e.line} ${e.message}`)).toContain(
      'models/schema.yml:5 model "orders" is described twice (first on line 2): a model has one entry in schema.yml, as in dbt',
    );
  });

  it("names the model a misspelt entry most likely meant", () => {
    const p = tempProject({
      "orders.sql": "select 1 as id",
      "schema.yml": "models:\n  - name: order\n    columns:\n      - name: id\n        tests: [unique]\n",
    });
    expect(compileProject(p.models).errors.map((e) => `${e.file}:${e.line} ${e.message}`)).toEqual([
      'models/schema.yml:2 schema.yml describes a model that does not exist: "order" (did you mean "orders"?)',
    ]);
  });

  it("says to indent a test's arguments written beside its name, where YAML reads them as other keys", () => {
    const p = tempProject({
      "orders.sql": "select 1 as status",
      "schema.yml": [
        "models:",
        "  - name: orders",
        "    columns:",
        "      - name: status",
        "        tests:",
        "          - accepted_values:",
        "            values: [1, 2]",
        "            quote: false",
      ].join("\n"),
    });
    expect(compileProject(p.models).errors.map((e) => `${e.file}:${e.line} ${e.message}`)).toEqual([
      'models/schema.yml:6 model "orders" column "status": values, quote sit beside accepted_values: instead of under it: indent them two more spaces than "accepted_values"',
    ]);
  });

  it("says how to write a list of tests when it is given one test as a text", () => {
    const p = tempProject({
      "orders.sql": "select 1 as id",
      "schema.yml": "models:\n  - name: orders\n    columns:\n      - name: id\n        tests: unique\n",
    });
    expect(compileProject(p.models).errors.map((e) => `${e.file}:${e.line} ${e.message}`)).toEqual([
      'models/schema.yml:5 models.0.columns.0.tests: a list of tests: write [unique], or each test on a line of its own under it, after "- "',
    ]);
  });
});
