import { describe, expect, it } from "vitest";
import { compileProject } from "./compile.ts";
import { eventsSource, tempProject } from "./testkit.ts";

const files = {
  "orders.sql": "select 1 as id",
  "staging/stg_orders.sql": "select 1 as id",
  "schema.yml": [
    "models:",
    "  - name: orders",
    "    columns:",
    "      - name: id",
    "        data_tests: [unique, { not_null: { severity: error } }]",
    "  - name: stg_orders",
    "    columns:",
    "      - name: id",
    "        data_tests: [unique, { not_null: { store_failures: false } }]",
  ].join("\n"),
  "tests/critical/no_negative_ids.sql": 'select * from {{ref "orders"}} where id < 0',
};
const projectWith = (block: string) => `name: demo\n${eventsSource}\n${block}`;
const configOf = (project: ReturnType<typeof compileProject>) =>
  Object.fromEntries(
    project.tests.map((t) => [
      t.name,
      { severity: t.severity, stored: t.storeFailuresAs ?? null, limit: t.limit ?? null },
    ]),
  );

describe("project.yml's data_tests: defaults", () => {
  it("apply to every test, per folder of its model (or its own, for a singular test), under the test's own config", () => {
    const p = tempProject(
      files,
      projectWith(
        [
          "data_tests:",
          "  +severity: warn",
          "  staging:",
          "    +store_failures: true",
          "  demo:", // dbt's first level: the project itself
          "    tests:",
          "      critical:",
          "        +limit: 10",
          "        +severity: error",
        ].join("\n"),
      ),
    );
    const project = compileProject(p.models);
    expect(project.errors).toEqual([]);
    expect(configOf(project)).toEqual({
      unique_orders_id: { severity: "warn", stored: null, limit: null },
      not_null_orders_id: { severity: "error", stored: null, limit: null },
      unique_stg_orders_id: { severity: "warn", stored: "table", limit: null },
      not_null_stg_orders_id: { severity: "warn", stored: null, limit: null },
      no_negative_ids: { severity: "error", stored: null, limit: 10 },
    });
  });

  it("take dbt's older name tests:, and +enabled: false switches a folder's tests off", () => {
    const p = tempProject(files, projectWith("tests:\n  staging/:\n    +enabled: false"));
    const project = compileProject(p.models);
    expect(project.errors).toEqual([]);
    expect(project.tests.map((t) => t.name)).toEqual([
      "unique_orders_id",
      "not_null_orders_id",
      "no_negative_ids",
    ]);
    expect(project.disabledTests.map((t) => t.name)).toEqual([
      "unique_stg_orders_id",
      "not_null_stg_orders_id",
    ]);
  });

  it("name the key and line of a value they cannot take, and warn of a folder no test is in", () => {
    const p = tempProject(
      files,
      projectWith(
        [
          "data_tests:",
          "  +severity: fatal",
          "  +severty: warn",
          "  staging:",
          "    +warn_if: many",
          "    +limit: 0",
          "  marts: warn",
        ].join("\n"),
      ),
    );
    expect(compileProject(p.models).errors.map((e) => `${e.line} ${e.message}`)).toEqual([
      '12 data_tests.+severity: severity must be "warn" or "error", not "fatal"',
      "13 data_tests.+severty: unknown data test config (it takes: +severity, +warn_if, +error_if, +enabled, +limit, +store_failures, +store_failures_as, +tags, +meta)",
      '15 data_tests.staging.+warn_if: warn_if must compare the failing rows with a number, such as ">10" or "!= 0", not "many"',
      "16 data_tests.staging.+limit: limit must be a whole number of failing rows above 0, such as 1000, not 0",
      '17 data_tests.marts: "marts" is a folder, which holds +configs; a config key starts with + (+severity: …)',
    ]);
    const misplaced = tempProject(files, projectWith("data_tests:\n  marts:\n    +severity: warn"));
    expect(compileProject(misplaced.models).warnings.map((w) => `${w.line} ${w.message}`)).toEqual([
      "13 data_tests.marts applies to no data test: nothing is in models/marts/",
    ]);
  });

  it("refuse data_tests: and tests: together, as dbt does", () => {
    const p = tempProject(files, projectWith("data_tests:\n  +severity: warn\ntests:\n  +limit: 5"));
    expect(compileProject(p.models).errors.map((e) => `${e.line} ${e.message}`)).toEqual([
      "14 data_tests: and tests: are one block (tests: is its name before dbt 1.8): keep data_tests: alone",
    ]);
  });
});
