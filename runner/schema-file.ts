// models/schema.yml: each model's description, columns and data tests, with the lines they are on.
import { z } from "zod";
import type { ProjectError } from "./project.ts";
import { readYaml } from "./yaml-file.ts";

/** A test entry of schema.yml as written, with its line. */
export interface SchemaTest {
  raw: unknown;
  line?: number;
}
export interface SchemaColumn {
  name: string;
  description?: string;
  tests: SchemaTest[];
}
export interface SchemaModel {
  name: string;
  description?: string;
  columns: SchemaColumn[];
  tests: SchemaTest[];
  line?: number;
  /** The model's config: block, and the line of each of its keys. */
  config?: { args: Record<string, unknown>; lines: Record<string, number | undefined> };
}
export interface SchemaFile {
  models: SchemaModel[];
}

// `tests: unique` is a text where YAML needs a list; say how to write one rather than "expected array".
const testList = z
  .array(z.unknown(), {
    error: (issue) =>
      issue.code === "invalid_type"
        ? `a list of tests: write [${typeof issue.input === "string" ? issue.input : "unique, not_null"}], or each test on a line of its own under it, after "- "`
        : undefined,
  })
  .optional();

const schemaSchema = z.strictObject({
  version: z.number().optional(),
  models: z
    .array(
      z.strictObject({
        name: z.string(),
        description: z.string().optional(),
        columns: z
          .array(
            z.strictObject({
              name: z.string(),
              description: z.string().optional(),
              data_type: z.string().optional(),
              tests: testList,
              data_tests: testList,
            }),
          )
          .optional(),
        tests: testList,
        data_tests: testList,
        // As dbt's: under the model's own {{config}}, over its folder's defaults in project.yml.
        config: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .default([]),
});

/** schema.yml's models with their tests and lines; no models when the file cannot be read (its errors say why). */
export function readSchemaFile(path: string, display: string, errors: ProjectError[]): SchemaFile {
  const loaded = readYaml(path, display, schemaSchema, errors);
  if (!loaded) return { models: [] };
  // As dbt: a second entry would otherwise replace the first's description and config in silence.
  const firstLine = new Map<string, number | undefined>();
  loaded.value.models.forEach((m, i) => {
    const line = loaded.lineOf(["models", i]);
    if (!firstLine.has(m.name)) return void firstLine.set(m.name, line);
    errors.push({
      file: display,
      line,
      message: `model "${m.name}" is described twice (first on line ${firstLine.get(m.name)}): a model has one entry in schema.yml, as in dbt`,
    });
  });
  return {
    models: loaded.value.models.map((m, i) => {
      const at = (...keys: (string | number)[]) => loaded.lineOf(["models", i, ...keys]);
      const tests = (list: unknown[] | undefined, key: string, ...prefix: (string | number)[]) =>
        (list ?? []).map((raw, k) => ({ raw, line: at(...prefix, key, k) }));
      return {
        name: m.name,
        description: m.description,
        tests: [...tests(m.tests, "tests"), ...tests(m.data_tests, "data_tests")],
        columns: (m.columns ?? []).map((c, j) => ({
          name: c.name,
          description: c.description,
          tests: [
            ...tests(c.tests, "tests", "columns", j),
            ...tests(c.data_tests, "data_tests", "columns", j),
          ],
        })),
        line: at(),
        ...(m.config
          ? {
              config: {
                args: m.config,
                lines: Object.fromEntries(Object.keys(m.config).map((k) => [k, at("config", k)])),
              },
            }
          : {}),
      };
    }),
  };
}
