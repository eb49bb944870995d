import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileProject } from "./compile.ts";
import { columnTests, run, tempProject, writeFiles } from "./testkit.ts";
import { openWarehouse } from "./warehouse.ts";

async function rowsOf(data: string, sql: string) {
  const wh = await openWarehouse(data);
  try {
    return await wh.all(sql);
  } finally {
    wh.close();
  }
}

const ordersWithDuplicates =
  "select * from (values (1, 'a'), (1, 'b'), (2, 'c'), (3, 'd'), (3, 'e')) t(id, note)";

describe("store_failures", () => {
  it("keeps a failing test's rows in dbt's schema for them, in a table named after the test, and says where", async () => {
    const p = tempProject({
      "orders.sql": ordersWithDuplicates,
      "schema.yml": columnTests("orders", "id", [
        "        tests:",
        "          - unique: { config: { store_failures: true } }",
        "          - not_null: { store_failures: true }",
      ]),
    });
    const { code, output } = await run("build", p);
    expect(code).toBe(1);
    expect(output).toContain(
      [
        "Failure in test unique_orders_id (models/schema.yml:6)",
        "  Got 2 results, configured to fail if != 0",
        "",
        "  See test failures:",
        '  select * from "main_dbt_test__audit"."unique_orders_id"',
      ].join("\n"),
    );
    expect(
      await rowsOf(p.data, "select * from main_dbt_test__audit.unique_orders_id order by unique_field"),
    ).toEqual([
      { unique_field: 1, n_records: 2 },
      { unique_field: 3, n_records: 2 },
    ]);
    // A passing test's stored failures are replaced too, as dbt's: by none.
    expect(await rowsOf(p.data, "select count(*) as n from main_dbt_test__audit.not_null_orders_id")).toEqual(
      [{ n: 0 }],
    );
    const results = JSON.parse(readFileSync(join(p.data, "target", "run_results.json"), "utf8"));
    const unique = results.results.find(
      (r: { unique_id: string }) => r.unique_id === "test.demo.unique_orders_id.1360ecc70e",
    );
    expect(unique).toMatchObject({
      status: "fail",
      failures: 2,
      relation_name: '"main_dbt_test__audit"."unique_orders_id"',
    });
    const manifest = JSON.parse(readFileSync(join(p.data, "target", "manifest.json"), "utf8"));
    expect(manifest.nodes["test.demo.unique_orders_id.1360ecc70e"]).toMatchObject({
      schema: "main_dbt_test__audit",
      relation_name: '"main_dbt_test__audit"."unique_orders_id"',
      config: { store_failures: true, store_failures_as: "table" },
    });

    writeFiles(p.models, { "orders.sql": "select 1 as id, 'a' as note" });
    expect((await run("build", p)).code).toBe(0);
    expect(await rowsOf(p.data, "select count(*) as n from main_dbt_test__audit.unique_orders_id")).toEqual([
      { n: 0 },
    ]);
  });

  it("keeps the rows of a test named past 63 characters in the table of dbt's alias for it, a prefix and an md5", async () => {
    const p = tempProject({
      "orders.sql": "select * from (values ('draft'), ('lost')) t(state)",
      "schema.yml": columnTests("orders", "state", [
        "        tests:",
        "          - accepted_values: { values: [pending, paid, shipped, delivered, returned], store_failures: true }",
      ]),
    });
    const { code, output } = await run("build", p);
    expect(code).toBe(1);
    const alias = "accepted_values_orders_c8c02ceb4746624c37d5084faf9f2806";
    expect(output).toContain(
      "FAIL 2 accepted_values_orders_state__pending__paid__shipped__delivered__returned ",
    );
    expect(output).toContain(`select * from "main_dbt_test__audit"."${alias}"`);
    expect(await rowsOf(p.data, `select value_field from main_dbt_test__audit.${alias} order by 1`)).toEqual([
      { value_field: "draft" },
      { value_field: "lost" },
    ]);
    expect(readFileSync(join(p.data, "target", "compiled", "tests", `${alias}.sql`), "utf8")).toContain(
      "not in ('pending', 'paid', 'shipped', 'delivered', 'returned')",
    );
  });

  it("keeps them as a view with store_failures_as: view, at most limit rows, and switches back to a table", async () => {
    const p = tempProject({
      "orders.sql": ordersWithDuplicates,
      "tests/orders_have_one_note.sql": [
        '{{config store_failures_as="view" limit=1 severity="warn"}}',
        'select id, count(*) as notes from {{ref "orders"}}',
        "group by id having count(*) > 1",
      ].join("\n"),
    });
    const { code, output } = await run("build", p);
    expect(code).toBe(0);
    expect(output).toMatch(/WARN 1 orders_have_one_note/);
    expect(output).toContain('  select * from "main_dbt_test__audit"."orders_have_one_note"');
    const kind =
      "select table_type from information_schema.tables where table_schema = 'main_dbt_test__audit'";
    expect(await rowsOf(p.data, kind)).toEqual([{ table_type: "VIEW" }]);
    expect(
      await rowsOf(p.data, "select count(*) as n from main_dbt_test__audit.orders_have_one_note"),
    ).toEqual([{ n: 1 }]);
    writeFiles(p.models, {
      "tests/orders_have_one_note.sql": readFileSync(
        join(p.models, "tests/orders_have_one_note.sql"),
        "utf8",
      ).replace('store_failures_as="view" limit=1', "store_failures=true"),
    });
    expect((await run("build", p)).code).toBe(0);
    expect(await rowsOf(p.data, kind)).toEqual([{ table_type: "BASE TABLE" }]);
    expect(
      await rowsOf(p.data, "select count(*) as n from main_dbt_test__audit.orders_have_one_note"),
    ).toEqual([{ n: 2 }]);
  });

  it("takes true or false, and table, view or ephemeral, as dbt does", () => {
    const p = tempProject({
      "orders.sql": "select 1 as id",
      "schema.yml":
        "models:\n  - name: orders\n    columns:\n      - name: id\n        tests:\n          - unique: { store_failures: 'yes' }\n          - not_null: { config: { store_failures_as: tabel } }\n",
      "tests/t.sql":
        '{{config store_failures_as="ephemeral" store_failures=true}}\nselect * from {{ref "orders"}}',
    });
    const project = compileProject(p.models);
    expect(project.errors.map((e) => `${e.file}:${e.line} ${e.message}`)).toEqual([
      'models/schema.yml:6 model "orders" column "id": store_failures must be true or false (unquoted), not "yes"',
      'models/schema.yml:7 model "orders" column "id": store_failures_as must be table, view or ephemeral, not "tabel"',
    ]);
    // store_failures_as wins over store_failures: ephemeral keeps nothing.
    expect(project.tests.find((t) => t.name === "t")?.storeFailuresAs).toBeUndefined();
  });

  it("refuses a view of failures that reads an ephemeral model, which would be gone once the run ends", () => {
    const p = tempProject({
      "e.sql": '{{config materialized="ephemeral"}}\nselect 1 as id',
      "tests/dup.sql":
        '{{config store_failures_as="view"}}\nselect id from {{ref "e"}} group by id having count(*) > 1',
    });
    expect(compileProject(p.models).errors.map((e) => `${e.file} ${e.message}`)).toEqual([
      'models/tests/dup.sql the test "dup" keeps its failures as a view that reads the ephemeral model "e", which is gone once the run ends: store them as a table (store_failures_as: table)',
    ]);
  });
});
