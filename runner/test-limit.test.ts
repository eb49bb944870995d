import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileProject } from "./compile.ts";
import { columnTests, run, tempProject } from "./testkit.ts";

describe("a data test's limit", () => {
  it("caps the failing rows counted, as dbt's limit config does, in schema.yml and in a singular test", async () => {
    const p = tempProject({
      "orders.sql": "select * from (values (NULL), (NULL), (NULL), (NULL), (NULL)) t(id)",
      "schema.yml": columnTests("orders", "id", [
        "        tests:",
        "          - not_null: { config: { limit: 2 } }",
        "          - accepted_values: { values: [1], limit: 3 }",
      ]),
      "tests/no_null_ids.sql":
        '{{config limit=4}}\nselect * from {{ref "orders"}}\nwhere id is null\n-- every null id',
    });
    const { code, output } = await run("build", p);
    expect(code).toBe(1);
    expect(output).toMatch(/FAIL 2 not_null_orders_id \.+ \[FAIL 2/);
    expect(output).toMatch(/PASS accepted_values_orders_id__1 /);
    expect(output).toMatch(/FAIL 4 no_null_ids \.+ \[FAIL 4/);
    const manifest = JSON.parse(readFileSync(join(p.data, "target", "manifest.json"), "utf8"));
    expect(manifest.nodes["test.demo.not_null_orders_id.84ef11d8fe"].config.limit).toBe(2);
    expect(manifest.nodes["test.demo.accepted_values_orders_id__1.45c5ad10cd"].config.limit).toBe(3);
  });

  it("takes only a whole number above 0", () => {
    const p = tempProject({
      "orders.sql": "select 1 as id",
      "schema.yml":
        "models:\n  - name: orders\n    columns:\n      - name: id\n        tests:\n          - unique: { limit: ten }\n",
      "tests/t.sql": '{{config limit=0}}\nselect * from {{ref "orders"}}',
    });
    expect(compileProject(p.models).errors.map((e) => `${e.file}:${e.line} ${e.message}`)).toEqual([
      'models/schema.yml:6 model "orders" column "id": limit must be a whole number of failing rows above 0, such as 1000, not "ten"',
      "models/tests/t.sql:1 limit must be a whole number of failing rows above 0, such as 1000, not 0",
    ]);
  });
});
