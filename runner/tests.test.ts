import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileProject } from "./compile.ts";
import { columnTests, run, type TempProject, tempProject, writeFiles } from "./testkit.ts";

/** Writes schema.yml and expects the build to stop on a project error that says `message`. */
async function refusedWith(p: TempProject, schema: string, message: string) {
  writeFiles(p.models, { "schema.yml": schema });
  const refused = await run("build", p);
  expect(refused.code).toBe(2);
  expect(refused.output).toContain(message);
}

describe("generic data tests", () => {
  it("take an expression as column_name, as dbt does, for a unique combination", async () => {
    const p = tempProject({
      "orders.sql":
        "select * from (values ('fr', 1, 'A'), ('de', 1, 'B'), ('fr', 2, 'ZZ')) t(country, order_id, customer)",
      "customers.sql": "select * from (values ('a'), ('b')) t(id)",
      "schema.yml": [
        "models:",
        "  - name: orders",
        "    tests:",
        `      - unique: { column_name: "country || '-' || order_id" }`,
        `      - not_null: { column_name: "nullif(country, 'de')", severity: warn }`,
        "      - relationships: { column_name: lower(customer), to: ref('customers'), field: id }",
      ].join("\n"),
    });
    const { output } = await run("build", p);
    expect(output).toMatch(/PASS unique_orders_country_order_id \.+ \[PASS/);
    expect(output).toMatch(/WARN 1 not_null_orders_nullif_country_de_ \.+ \[WARN 1/);
    expect(output).toMatch(/FAIL 1 relationships_orders_lower_customer_/);
    expect(output).toContain("Done. PASS=3 WARN=1 ERROR=1 SKIP=0 TOTAL=5");
  });

  it("that this runner lacks (dbt_utils', a custom one) say which singular test to write instead, at their line", () => {
    const p = tempProject({
      "orders.sql": "select 1 as id, 'a' as a, 'b' as b, 10 as amount",
      "schema.yml": [
        "models:",
        "  - name: orders",
        "    data_tests:",
        `      - dbt_utils.expression_is_true: { expression: "amount > 0" }`,
        "      - dbt_utils.unique_combination_of_columns: { combination_of_columns: [a, b] }",
        "      - at_least_one",
        "    columns:",
        "      - name: amount",
        `        tests: [{ dbt_utils.expression_is_true: { arguments: { expression: ">= 0" } } }, uniqe]`,
      ].join("\n"),
    });
    try {
      const errors = compileProject(p.models).errors.map((e) => `${e.file}:${e.line} ${e.message}`);
      const lacks = (test: string) =>
        `no generic test "${test}" here (there are not_null, unique, accepted_values, relationships; dbt packages and tests/generic/ are not read): write the check as a singular test instead, `;
      expect(errors).toEqual([
        `models/schema.yml:4 model "orders": ${lacks("dbt_utils.expression_is_true")}models/tests/expression_is_true_orders.sql, a query returning the failing rows: select * from {{ref "orders"}} where not (amount > 0)`,
        `models/schema.yml:5 model "orders": ${lacks("dbt_utils.unique_combination_of_columns")}models/tests/unique_combination_of_columns_orders.sql, a query returning the failing rows: select a, b from {{ref "orders"}} group by a, b having count(*) > 1`,
        `models/schema.yml:6 model "orders": ${lacks("at_least_one")}models/tests/at_least_one_orders.sql, a query returning the failing rows: select * from {{ref "orders"}} where <the condition a failing row meets>`,
        `models/schema.yml:9 model "orders" column "amount": ${lacks("dbt_utils.expression_is_true")}models/tests/expression_is_true_orders_amount.sql, a query returning the failing rows: select * from {{ref "orders"}} where not (amount >= 0)`,
        'models/schema.yml:9 model "orders" column "amount": unknown test "uniqe" (did you mean "unique"?)',
      ]);
    } finally {
      rmSync(p.root, { recursive: true, force: true });
    }
  });

  it("take a name of the user's own, as dbt's name: (or its test_name: form), and refuse one given twice", async () => {
    const p = tempProject({
      "orders.sql": "select * from (values (1, 'a'), (2, 'b')) t(id, customer)",
      "customers.sql": "select 'a' as id",
      "schema.yml": [
        "models:",
        "  - name: orders",
        "    data_tests:",
        "      - unique: { name: orders_id_unique, column_name: id }",
        "      - name: orders_customer_known",
        "        test_name: relationships",
        "        column_name: customer",
        "        to: ref('customers')",
        "        field: id",
        "        config: { severity: warn }",
      ].join("\n"),
    });
    try {
      const { output } = await run("build", p);
      expect(output).toMatch(/PASS orders_id_unique \.+ \[PASS/);
      expect(output).toMatch(/WARN 1 orders_customer_known \.+ \[WARN 1/);
      expect(output).toContain("Done. PASS=3 WARN=1 ERROR=0 SKIP=0 TOTAL=4");
      const twice =
        "models:\n  - name: orders\n    data_tests:\n      - unique: { name: orders_key, column_name: id }\n";
      await refusedWith(
        p,
        `${twice}      - not_null: { name: orders_key, column_name: id }`,
        'models/schema.yml:5\n    a second data test is named "orders_key": give each its own name',
      );
      await refusedWith(
        p,
        `${twice}      - not_null: { name: "orders key", column_name: id }`,
        'got "orders key"',
      );
    } finally {
      rmSync(p.root, { recursive: true, force: true });
    }
  });

  it("name the model a relationships test likely meant, and the singular test to write for one to a source", () => {
    const p = tempProject({
      "orders.sql": "select 1 as id",
      "customers.sql": "select 1 as id",
      "schema.yml": columnTests("orders", "id", [
        "        data_tests:",
        "          - relationships: { to: ref('customer'), field: id }",
        "          - relationships: { arguments: { to: \"source('raw', 'events')\", field: event_id } }",
      ]),
    });
    try {
      expect(compileProject(p.models).errors.map((e) => `${e.line} ${e.message}`)).toEqual([
        '6 model "orders" column "id": relationships points to a model that does not exist: "customer" (did you mean "customers"?)',
        `7 model "orders" column "id": relationships reads a model (to: ref('name')), not a source: write the check as a singular test, models/tests/orders_id_in_events.sql: select * from {{ref "orders"}} as child where child.id is not null and not exists (select 1 from {{source "events"}} as parent where parent.event_id = child.id)`,
      ]);
    } finally {
      rmSync(p.root, { recursive: true, force: true });
    }
  });

  it("get a plain name when two test the same expression, not one with its spaces and slashes", async () => {
    const p = tempProject({
      "orders.sql": "select * from (values (10, 2, true), (10, 2, false)) t(amount, qty, paid)",
      "schema.yml": [
        "models:",
        "  - name: orders",
        "    tests:",
        '      - unique: { column_name: "amount / qty", where: paid }',
        '      - unique: { column_name: "amount / qty" }',
      ].join("\n"),
    });
    const { output } = await run("build", p);
    expect(output).toMatch(/PASS unique_orders_amount_qty \.+/);
    expect(output).toMatch(/FAIL 1 unique_orders_amount_qty_2 \.+/);
    expect(
      readFileSync(join(p.data, "target", "compiled", "tests", "unique_orders_amount_qty_2.sql"), "utf8"),
    ).toContain("(amount / qty)");
  });

  it("say to build the model they read when the warehouse does not have it yet, in a singular test too", async () => {
    const p = tempProject({
      "orders.sql": "select 1 as id",
      "schema.yml": columnTests("orders", "id", ["        tests: [unique]"]),
      "tests/few_orders.sql": 'select * from {{ref "orders"}}\nwhere id < 0',
    });
    const { code, output } = await run("test", p);
    expect(code).toBe(1);
    const message =
      'the model "orders" is not in the warehouse yet: build it first (ownstats run --select orders, or ownstats build)';
    expect(output).toContain(`Runtime Error in test unique_orders_id (models/schema.yml:5)\n  ${message}`);
    expect(output).toContain(`Runtime Error in test few_orders (models/tests/few_orders.sql)\n  ${message}`);
    expect(output).not.toContain("pragma_database_list");
  });

  it("name the schema.yml test, its model and column when DuckDB rejects their query, not a line of it", async () => {
    const p = tempProject({
      "orders.sql": "select 1 as order_id",
      "schema.yml": columnTests("orders", "order_idd", ["        tests: [unique]"]),
    });
    const { code, output } = await run("build", p);
    expect(code).toBe(1);
    expect(output).toContain("Runtime Error in test unique_orders_order_idd (models/schema.yml:5)");
    expect(output).toContain('Referenced column "order_idd" not found');
    expect(output).toContain(
      'in the unique test of model "orders" column "order_idd" (models/schema.yml:5); its query is target/compiled/tests/unique_orders_order_idd.sql',
    );
    expect(output).not.toMatch(/LINE \d+:|\^/);
  });

  it("test only the rows their where config keeps, as dbt's do", async () => {
    const p = tempProject({
      "orders.sql":
        "select * from (values (1, 'paid'), (1, 'paid'), (2, 'draft'), (NULL, 'draft')) t(order_id, state)",
      "schema.yml": [
        "models:",
        "  - name: orders",
        "    columns:",
        "      - name: order_id",
        "        tests:",
        "          - not_null: { config: { where: \"state = 'paid'\" } }",
        "          - unique: { where: \"state = 'draft'\" }",
        "          - accepted_values: { values: [2], quote: false, config: { where: \"state <> 'paid'\" } }",
        "      - name: state",
        "        tests:",
        '          - not_null: { where: "" }',
      ].join("\n"),
    });
    const refused = await run("build", p);
    expect(refused.code).toBe(2);
    expect(refused.output).toContain('model "orders" column "state": where must be a SQL condition');
    writeFiles(p.models, {
      "schema.yml": readFileSync(join(p.models, "schema.yml"), "utf8").replace(/\n.*state\n.*\n.*$/, ""),
    });
    const { code, output } = await run("build", p);
    expect(output).toContain("Done. PASS=4 WARN=0 ERROR=0 SKIP=0 TOTAL=4");
    expect(code).toBe(0);
  });

  it("render {{var}} in a where or an expression column, as dbt renders its Jinja there", async () => {
    const p = tempProject(
      {
        "orders.sql": "select * from (values (1), (2), (2)) t(id)",
        "schema.yml": columnTests("orders", "id", [
          "        data_tests:",
          `          - unique: { where: "id < {{var 'first_shared'}}" }`,
          `          - not_null: { column_name: "nullif(id, {{var 'first_shared'}})" }`,
        ]),
      },
      "name: demo\nvars:\n  first_shared: 2\n",
    );
    try {
      const { output } = await run("build", p, { vars: { first_shared: 1 } });
      expect(output).toContain("Done. PASS=2 WARN=0 ERROR=1 SKIP=0 TOTAL=3");
      expect(output).toMatch(/FAIL 1 not_null_orders_nullif_id_var_first_shared_ /);
      const where = readFileSync(join(p.data, "target/compiled/tests/unique_orders_id.sql"), "utf8");
      expect(where).toContain("where id < 1)");
      await refusedWith(
        p,
        columnTests("orders", "id", [
          "        data_tests: [{ accepted_values: { values: [\"{{var 'a'}}\"] } }]",
        ]),
        "accepted_values compares its values as written, without rendering {{…}} in them: list the values themselves",
      );
    } finally {
      rmSync(p.root, { recursive: true, force: true });
    }
  });

  it("read their arguments from dbt 1.10's arguments: mapping, beside their config", async () => {
    const schema = (args: string) =>
      columnTests("orders", "state", [
        "        data_tests:",
        "          - accepted_values:",
        `              arguments: ${args}`,
        "              config: { severity: warn }",
      ]);
    const p = tempProject({
      "orders.sql": "select * from (values ('paid'), ('lost')) t(state)",
      "schema.yml": schema("{ values: [paid, draft] }"),
    });
    const { code, output } = await run("build", p);
    expect(output).toMatch(/WARN 1 accepted_values_orders_state__paid__draft \.+ \[WARN 1/);
    expect(code).toBe(0);
    await refusedWith(
      p,
      schema("{ values: [paid], severity: warn }"),
      'accepted_values has no argument "severity" (under arguments: it takes: column_name, values, quote)',
    );
  });

  it("fail on a value outside accepted_values with quote: false whose values hold a null", async () => {
    const p = tempProject({
      "sizes.sql": "select * from (values (1), (2), (7), (NULL)) t(n)",
      "schema.yml": columnTests("sizes", "n", [
        "        tests:",
        "          - accepted_values: { values: [1, 2, null], quote: false }",
      ]),
    });
    const { code, output } = await run("build", p);
    expect(output).toMatch(/FAIL 1 accepted_values_sizes_n__False__1__2__None \.+ \[FAIL 1/);
    expect(code).toBe(1);
  });

  it("warn or fail by dbt's warn_if and error_if on the count of failing rows", async () => {
    const schema = (warnIf: string) =>
      columnTests("orders", "order_id", [
        "        tests:",
        `          - not_null: { config: { warn_if: "${warnIf}", error_if: ">100" } }`,
        "          - accepted_values: { values: [1], quote: false, error_if: '>10' }",
      ]);
    const p = tempProject({
      "orders.sql": "select case when i % 2 = 0 then i end as order_id from range(10) t(i)",
      "schema.yml": schema(">10"),
      "tests/few_orders.sql":
        '{{config warn_if=">1" error_if=">= 5"}}\nselect * from {{ref "orders"}} where order_id is null',
    });
    const { code, output } = await run("build", p);
    expect(output).toMatch(/PASS not_null_orders_order_id \.+ \[PASS/);
    expect(output).toMatch(/WARN 5 accepted_values_orders_order_id__False__1 \.+ \[WARN 5/);
    expect(output).toMatch(/FAIL 5 few_orders \.+ \[FAIL 5/);
    expect(output).toContain("Got 5 results, configured to warn if != 0");
    expect(output).toContain("Got 5 results, configured to fail if >= 5");
    expect(code).toBe(1);
    await refusedWith(
      p,
      schema("lots"),
      'warn_if must compare the failing rows with a number, such as ">10" or "!= 0", not "lots"',
    );
  });
});
