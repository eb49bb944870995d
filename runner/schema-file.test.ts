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
});
