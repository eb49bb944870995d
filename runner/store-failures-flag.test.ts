import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ownstats } from "../cli-run.ts";
import { columnTests, tempProject } from "./testkit.ts";
import { openWarehouse } from "./warehouse.ts";

const storedFailureTables = async (data: string) => {
  const wh = await openWarehouse(data);
  try {
    const rows = await wh.all<{ name: string }>(
      "select table_name as name from duckdb_tables() where schema_name = 'main_dbt_test__audit' order by 1",
    );
    return rows.map((r) => r.name);
  } finally {
    wh.close();
  }
};

describe("--store-failures", () => {
  it("keeps the failing rows of every test that runs, except one whose config says no, and says where", async () => {
    const p = tempProject({
      "orders.sql": "select * from (values (1), (1), (null)) t(id)",
      "schema.yml": columnTests("orders", "id", [
        "        tests:",
        "          - unique",
        "          - not_null: { config: { store_failures: false } }",
      ]),
    });
    expect((await ownstats("run", "--data", p.data, "--models", p.models)).code).toBe(0);
    const { code, stdout } = await ownstats(
      "test",
      "--store-failures",
      "--data",
      p.data,
      "--models",
      p.models,
    );
    expect(code).toBe(1);
    expect(stdout).toContain(
      '  See test failures:\n  select * from "main_dbt_test__audit"."unique_orders_id"',
    );
    expect(await storedFailureTables(p.data)).toEqual(["unique_orders_id"]);
    const results = JSON.parse(readFileSync(join(p.data, "target", "run_results.json"), "utf8"));
    expect(results.args).toMatchObject({ which: "test", store_failures: true });
    expect(results.results.map((r: { relation_name: string | null }) => r.relation_name)).toEqual([
      '"main_dbt_test__audit"."unique_orders_id"',
      null,
    ]);
  });

  it("is no flag of run, which runs no tests", async () => {
    const { code, stderr } = await ownstats("run", "--store-failures");
    expect(code).toBe(2);
    expect(stderr).toContain("unknown option '--store-failures'");
  });
});
