// Every column of every shipped model, as the warehouse holds it after a build, has a description in
// models/schema.yml: analysts read those on the models page and in target/manifest.json, and a column
// added to a model's SELECT without one would reach them unexplained.
import { beforeAll, expect, it } from "vitest";
import { compileProject } from "../runner/index.ts";
import { buildWith, ev, modelsDir, query } from "./models-kit.ts";

const project = compileProject(modelsDir);
let stored: Map<string, string[]>;

beforeAll(async () => {
  // A model's columns do not depend on the events it reads: one page view builds every table.
  const { data } = await buildWith([ev({})]);
  const rows = await query<{ table_name: string; column_name: string }>(
    data,
    `SELECT table_name, column_name FROM duckdb_columns()
     WHERE database_name = current_database() AND schema_name = 'main'
     ORDER BY table_name, column_index`,
  );
  stored = new Map();
  for (const { table_name, column_name } of rows)
    stored.set(table_name, [...(stored.get(table_name) ?? []), column_name]);
});

it("describes every column of every model in schema.yml", () => {
  expect(project.errors).toEqual([]);
  const undescribed: string[] = [];
  for (const model of project.models.values()) {
    if (model.config.materialized === "ephemeral") continue;
    const columns = stored.get(model.name);
    if (!columns) {
      undescribed.push(`${model.name}: no table in the warehouse`);
      continue;
    }
    const described = new Set(model.columns.filter((c) => c.description?.trim()).map((c) => c.name));
    for (const column of columns) if (!described.has(column)) undescribed.push(`${model.name}.${column}`);
  }
  expect(project.models.size).toBeGreaterThan(20);
  expect(
    undescribed,
    `columns without a description in models/schema.yml:\n${undescribed.join("\n")}`,
  ).toEqual([]);
});
