import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileProject } from "./compile.ts";
import { list } from "./inspect.ts";
import { columnTests, tempProject, writeFiles } from "./testkit.ts";

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
      `models/schema.yml:5 model "orders" is described twice (first on line 2): a model has one entry in the project's YAML files, as in dbt`,
    );
  });

  it("is read with every other .yml of models/, as dbt reads property files, naming each file in errors", () => {
    const p = tempProject({
      "staging/stg_orders.sql": "select 1 as id",
      "marts/orders.sql": 'select * from {{ref "stg_orders"}}',
      "schema.yml": "models:\n  - name: orders\n    columns:\n      - name: id\n        tests: [unique]\n",
      "staging/_staging.yml": [
        "version: 2",
        "models:",
        "  - name: stg_orders",
        "    config: { materialized: table }",
        "    columns:",
        "      - name: id",
        "        data_tests: [not_null]",
      ].join("\n"),
    });
    try {
      const lines: string[] = [];
      expect(list({ ...p, output: "path", log: (l) => lines.push(l) })).toBe(0);
      expect(lines).toEqual([
        "models/staging/stg_orders.sql",
        "models/staging/_staging.yml",
        "models/marts/orders.sql",
        "models/schema.yml",
      ]);
      expect(compileProject(p.models).models.get("stg_orders")?.config.materialized).toBe("table");
      writeFiles(p.models, {
        "marts/_marts.yml": "models:\n  - name: orders\n  - name: ordrs\n",
      });
      expect(compileProject(p.models).errors.map((e) => `${e.file}:${e.line} ${e.message}`)).toEqual([
        `models/marts/_marts.yml:2 model "orders" is described twice (first in models/schema.yml:2): a model has one entry in the project's YAML files, as in dbt`,
        'models/marts/_marts.yml:3 _marts.yml describes a model that does not exist: "ordrs" (did you mean "orders"?)',
      ]);
    } finally {
      rmSync(p.root, { recursive: true, force: true });
    }
  });

  it("says where dbt's sources:, unit_tests: and other blocks of a property file go, at their line", () => {
    const p = tempProject({
      "orders.sql": "select 1 as id",
      "staging/_sources.yml": "version: 2\nsources:\n  - name: raw\n    tables: [{ name: events }]\n",
      "schema.yml": "models:\n  - name: orders\nunit_tests:\n  - name: t\nexposures: []\n",
      "tests/_tests.yml": "data_tests:\n  - name: t\nmodel: []\n",
    });
    try {
      expect(compileProject(p.models).errors.map((e) => `${e.file}:${e.line} ${e.message}`)).toEqual([
        "models/schema.yml:3 unit_tests: the runner has no unit tests: write the check as a singular test, models/tests/<name>.sql, a query returning the failing rows",
        "models/schema.yml:5 exposures: dbt's exposures are not part of a project here: remove the block (a property file takes models: only)",
        'models/staging/_sources.yml:2 sources: a source is declared in models/project.yml, under sources: (its path, columns and partitions), and read with {{source "name"}}',
        'models/tests/_tests.yml:1 data_tests: a singular test is described in its own file here: its config in a {{config severity="warn"}} line, its description in a comment',
        'models/tests/_tests.yml:3 (top level): Unrecognized key: "model" (did you mean "models"?)',
      ]);
    } finally {
      rmSync(p.root, { recursive: true, force: true });
    }
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
      "schema.yml": columnTests("orders", "status", [
        "        tests:",
        "          - accepted_values:",
        "            values: [1, 2]",
        "            quote: false",
      ]),
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

  it("reads a model's config from schema.yml under its own {{config}}, and names a misspelt key's line", () => {
    const p = tempProject(
      {
        "marts/a.sql": "select 1 as id",
        "marts/b.sql": '{{config materialized="view" tags="own"}}\nselect 1 as id',
        "schema.yml": [
          "models:",
          "  - name: a",
          "    config: { materialized: table, tags: [kpi] }",
          "  - name: b",
          "    config:",
          "      materialized: table",
          "      tags: kpi",
        ].join("\n"),
      },
      "name: demo\nfolders:\n  marts: { materialized: ephemeral, tags: marts }\n",
    );
    const project = compileProject(p.models);
    expect(project.errors).toEqual([]);
    expect(project.models.get("a")?.config).toMatchObject({ materialized: "table", tags: ["marts", "kpi"] });
    expect(project.models.get("b")?.config).toMatchObject({
      materialized: "view",
      tags: ["marts", "kpi", "own"],
    });
    writeFiles(p.models, {
      "schema.yml":
        "models:\n  - name: a\n    config:\n      materialised: table\n      materialized: tabel\n",
    });
    expect(compileProject(p.models).errors.map((e) => `${e.file}:${e.line} ${e.message}`)).toEqual([
      'models/schema.yml:4 unknown config key "materialised" (it takes: enabled, materialized, unique_key, watermark, incremental_strategy, time_column, tags, meta)',
      "models/schema.yml:5 materialized must be one of table, view, incremental, ephemeral, not 'tabel'",
    ]);
  });

  it("names an unknown key's own line, not its block value's, and what it meant or the keys there are", () => {
    const p = tempProject(
      {
        "a.sql": "select 1 as id",
        "schema.yml":
          "models:\n  - name: a\n    columns:\n      - name: id\n        test:\n          - unique\n",
      },
      "name: demo\nfolders:\n  marts:\n    materialized: table\n    tag:\n      - kpi\n",
    );
    expect(compileProject(p.models).errors.map((e) => `${e.file}:${e.line} ${e.message}`)).toEqual([
      'models/project.yml:5 folders.marts: Unrecognized key: "tag" (it takes: materialized, tags, enabled, meta)',
      'models/schema.yml:5 models.0.columns.0: Unrecognized key: "test" (did you mean "tests"?)',
    ]);
  });

  it("points a model's tags written beside its name to its config, where a property file takes them", () => {
    const p = tempProject({
      "a.sql": "select 1 as id",
      "schema.yml": "models:\n  - name: a\n    tags: [daily]\n",
    });
    expect(compileProject(p.models).errors.map((e) => `${e.file}:${e.line} ${e.message}`)).toEqual([
      'models/schema.yml:3 models.0: Unrecognized key: "tags" (a model\'s tags go in its config: config: { tags: [daily] })',
    ]);
  });

  it("names schema.yml's line when the config written there is incomplete, in YAML's words, not the model's file", () => {
    const p = tempProject({
      "events.sql": "select 1 as id, now() as ts",
      "schema.yml":
        "models:\n  - name: events\n    config:\n      materialized: incremental\n      incremental_strategy: time_range\n",
    });
    expect(compileProject(p.models).errors.map((e) => `${e.file}:${e.line} ${e.message}`)).toEqual([
      "models/schema.yml:4 an incremental model needs watermark: column (a time column of the model)",
      "models/schema.yml:5 incremental_strategy: time_range needs time_column: column (the column whose range a batch replaces)",
    ]);
    rmSync(p.root, { recursive: true, force: true });
  });
});
