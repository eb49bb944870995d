import { describe, expect, it } from "vitest";
import { run, tempProject } from "./testkit.ts";

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

  it("name the schema.yml test, its model and column when DuckDB rejects their query, not a line of it", async () => {
    const p = tempProject({
      "orders.sql": "select 1 as order_id",
      "schema.yml": [
        "models:",
        "  - name: orders",
        "    columns:",
        "      - name: order_idd",
        "        tests: [unique]",
      ].join("\n"),
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
});
