import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileProject } from "./compile.ts";
import { columnTests, run, tempProject } from "./testkit.ts";

const errorsOf = (models: string) =>
  compileProject(models).errors.map((e) => `${e.file}:${e.line} ${e.message}`);

describe("enabled: false", () => {
  it("leaves a model out of the project, from its {{config}}, schema.yml or its folder, as dbt does", async () => {
    const p = tempProject(
      {
        "kept.sql": "select 1 as id",
        "off_in_file.sql": '{{config materialized="table" enabled=false}}\nselect * from {{ref "nowhere"}}',
        "off_in_schema.sql": "select 2 as id",
        "drafts/off_by_folder.sql": "select 3 as id",
        "drafts/back_on.sql": "{{config enabled=true}}\nselect 4 as id",
        "schema.yml": [
          "models:",
          "  - name: off_in_schema",
          "    config: { enabled: false }",
          "    columns:",
          "      - name: id",
          "        tests: [unique]",
        ].join("\n"),
      },
      "name: demo\nfolders:\n  drafts: { enabled: false }\n",
    );
    const project = compileProject(p.models);
    expect(project.errors).toEqual([]);
    expect([...project.models.keys()].sort()).toEqual(["back_on", "kept"]);
    expect(project.tests).toEqual([]);
    const { code, output } = await run("build", p, { select: ["off_in_schema", "kept"] });
    expect(code).toBe(0);
    expect(output).toContain("Done. PASS=1 WARN=0 ERROR=0 SKIP=0 TOTAL=1");
    expect(output).not.toContain("START sql view model main.off_");
    expect(output).toContain(
      '[WARNING]: the selector "off_in_schema" matches nothing: "off_in_schema" is a disabled model (enabled: false)',
    );
    const all = await run("build", p);
    expect(all.output).toContain("Done. PASS=2 WARN=0 ERROR=0 SKIP=0 TOTAL=2");
    expect(existsSync(join(p.data, "target", "compiled", "models", "off_in_file.sql"))).toBe(false);
  });

  it("makes a model's ref to a disabled model a compile error naming both", async () => {
    const p = tempProject({
      "orders.sql": "{{config enabled=false}}\nselect 1 as id",
      "revenue.sql": 'select * from\n{{ref "orders"}}',
    });
    expect(errorsOf(p.models)).toEqual([
      "models/revenue.sql:2 Model 'revenue' depends on a node named 'orders' which is disabled (enabled: false)",
    ]);
    expect((await run("run", p)).code).toBe(2);
  });

  it("takes only true or false, where it is written", () => {
    const p = tempProject({
      "a.sql": '{{config enabled="false"}}\nselect 1 as id',
      "b.sql": "select 1 as id",
      "schema.yml": "models:\n  - name: b\n    config:\n      enabled: no way\n",
    });
    expect(errorsOf(p.models)).toEqual([
      'models/a.sql:1 enabled must be true or false (unquoted), not "false"',
      'models/schema.yml:4 enabled must be true or false (unquoted), not "no way"',
    ]);
  });
});

describe("a data test of a disabled model", () => {
  it("is left out with a warning when it reads one, as dbt's, and the rest builds", async () => {
    const p = tempProject({
      "customers.sql": "{{config enabled=false}}\nselect 1 as id",
      "orders.sql": "select 1 as id, 2 as customer_id",
      "schema.yml": columnTests("orders", "customer_id", [
        "        tests:",
        "          - relationships: { to: ref('customers'), field: id }",
        "          - not_null",
      ]),
      "tests/orders_have_customers.sql":
        'select * from {{ref "orders"}}\nwhere customer_id not in (select id from {{ref "customers"}})',
    });
    const { code, output } = await run("build", p);
    expect(code).toBe(0);
    expect(output).toContain(
      "[WARNING]: models/schema.yml:6 test 'relationships_orders_customer_id__id__ref_customers_' depends on a node named 'customers' which is disabled, so it does not run",
    );
    expect(output).toContain(
      "[WARNING]: models/tests/orders_have_customers.sql:2 test 'orders_have_customers' depends on a node named 'customers' which is disabled, so it does not run",
    );
    expect(output).toContain("Done. PASS=2 WARN=0 ERROR=0 SKIP=0 TOTAL=2");
  });
});

describe("enabled: false on a data test", () => {
  it("leaves the test out, in schema.yml (beside its arguments or under config:) and in a singular test", async () => {
    const p = tempProject({
      "orders.sql": "select * from (values (1), (1), (NULL)) t(id)",
      "schema.yml": columnTests("orders", "id", [
        "        tests:",
        "          - unique: { config: { enabled: false } }",
        "          - not_null: { enabled: false }",
        "          - accepted_values: { values: [1], quote: false }",
      ]),
      "tests/no_orders.sql": '{{config enabled=false}}\nselect * from {{ref "orders"}}',
      // Not resolved, as in dbt: neither a model that is gone nor a disabled one is named.
      "tests/old_check.sql": '{{config enabled=false}}\nselect * from {{ref "gone"}}, {{ref "draft"}}',
      "draft.sql": "{{config enabled=false}}\nselect 1 as id",
    });
    const project = compileProject(p.models);
    expect(project.errors).toEqual([]);
    expect(project.warnings).toEqual([]);
    expect(project.tests.map((t) => t.name)).toEqual(["accepted_values_orders_id__False__1"]);
    const { code, output } = await run("build", p);
    expect(code).toBe(0);
    expect(output).toContain("Done. PASS=2 WARN=0 ERROR=0 SKIP=0 TOTAL=2");
    const none = await run("test", p, { select: ["unique_orders_id"] });
    expect(none.output).toContain('the selector "unique_orders_id" matches nothing');
  });

  it("takes only true or false", () => {
    const p = tempProject({
      "orders.sql": "select 1 as id",
      "schema.yml":
        "models:\n  - name: orders\n    columns:\n      - name: id\n        tests:\n          - unique: { enabled: 'no' }\n",
      "tests/t.sql": '{{config enabled="false"}}\nselect * from {{ref "orders"}}',
    });
    expect(errorsOf(p.models)).toEqual([
      'models/schema.yml:6 model "orders" column "id": enabled must be true or false (unquoted), not "no"',
      'models/tests/t.sql:1 enabled must be true or false (unquoted), not "false"',
    ]);
  });
});
