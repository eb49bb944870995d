import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildManifest } from "./artifacts.ts";
import { compileProject } from "./compile.ts";
import { columnTests, tempProject } from "./testkit.ts";

describe("the manifest's disabled section", () => {
  it("lists each disabled model and data test under its unique_id, as dbt's does, and no node of them", () => {
    const p = tempProject({
      "orders.sql": "select 1 as id",
      "staging/old_orders.sql": '{{config enabled=false}}\nselect * from {{ref "gone"}}',
      "schema.yml": columnTests("orders", "id", [
        "        tests:",
        "          - unique",
        "          - not_null: { config: { enabled: false, severity: warn } }",
        "          - relationships: { to: ref('gone'), field: id, enabled: false }",
      ]),
      "tests/retired_check.sql": '{{config enabled=false}}\nselect * from {{ref "orders"}} where id < 0',
    });
    const project = compileProject(p.models);
    expect(project.errors).toEqual([]);
    const manifest = buildManifest(project);
    expect(Object.keys(manifest.disabled).sort()).toEqual([
      "model.demo.old_orders",
      "test.demo.not_null_orders_id.84ef11d8fe",
      "test.demo.relationships_orders_id__id__ref_gone_.02bb3b867f",
      "test.demo.retired_check",
    ]);
    expect(manifest.disabled["model.demo.old_orders"]).toMatchObject([
      {
        resource_type: "model",
        original_file_path: "models/staging/old_orders.sql",
        fqn: ["demo", "staging", "old_orders"],
        config: { enabled: false },
      },
    ]);
    expect(manifest.disabled["test.demo.not_null_orders_id.84ef11d8fe"]).toMatchObject([
      { resource_type: "test", config: { enabled: false, severity: "WARN" }, column_name: "id" },
    ]);
    expect(manifest.disabled["test.demo.retired_check"]).toMatchObject([
      {
        resource_type: "test",
        original_file_path: "models/tests/retired_check.sql",
        config: { enabled: false },
      },
    ]);
    expect(Object.keys(manifest.nodes).sort()).toEqual([
      "model.demo.orders",
      "test.demo.unique_orders_id.1360ecc70e",
    ]);
  });

  it("names a disabled model-level test without a column as dbt does, not with 'undefined'", () => {
    const p = tempProject({
      "orders.sql": "select 1 as id",
      "schema.yml": [
        "models:",
        "  - name: orders",
        "    data_tests:",
        "      - not_null: { enabled: false }",
        "      - relationships: { field: id, config: { enabled: false } }",
      ].join("\n"),
    });
    try {
      const project = compileProject(p.models);
      expect(project.errors).toEqual([]);
      expect(Object.keys(buildManifest(project).disabled).sort()).toEqual([
        "test.demo.not_null_orders_.e6f76fd977",
        "test.demo.relationships_orders_id.ca4d2c1991",
      ]);
    } finally {
      rmSync(p.root, { recursive: true, force: true });
    }
  });
});
