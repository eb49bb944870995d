// The property files of models/ (schema.yml, and any other .yml beside the models, as in dbt): each
// model's description, columns and data tests, with the file and lines they are on.
import { z } from "zod";
import { type ProjectError, splitTags } from "./project.ts";
import { didYouMean } from "./suggest.ts";
import { readYaml } from "./yaml-file.ts";

/** A test entry of schema.yml as written, with its line. */
export interface SchemaTest {
  raw: unknown;
  line?: number;
}
/** dbt's meta: what the user keeps about a model or column, which the manifest carries and no build reads. */
export type Meta = Record<string, unknown>;
export interface SchemaColumn {
  name: string;
  description?: string;
  meta?: Meta;
  /** dbt's column tags, which each of its tests takes. */
  tags?: string[];
  tests: SchemaTest[];
}
export interface SchemaModel {
  name: string;
  /** The YAML file it is described in, as messages name it (`models/marts/_marts.yml`). */
  file: string;
  description?: string;
  meta?: Meta;
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

// dbt's other blocks of a property file, which a project here declares elsewhere or has not: each is
// answered with what to do, rather than "Unrecognized key".
const otherBlocks: Record<string, string> = {
  sources:
    'a source is declared in models/project.yml, under sources: (its path, columns and partitions), and read with {{source "name"}}',
  unit_tests:
    "the runner has no unit tests: write the check as a singular test, models/tests/<name>.sql, a query returning the failing rows",
  data_tests:
    'a singular test is described in its own file here: its config in a {{config severity="warn"}} line, its description in a comment',
  ...Object.fromEntries(
    [
      "seeds",
      "snapshots",
      "exposures",
      "metrics",
      "semantic_models",
      "saved_queries",
      "macros",
      "groups",
      "analyses",
    ].map((key) => [
      key,
      `dbt's ${key} are not part of a project here: remove the block (a property file takes models: only)`,
    ]),
  ),
};

// Loose at the top, so that dbt's other blocks are answered below, and "it takes" lists only these.
const topKeys = ["version", "models"];
const schemaSchema = z.looseObject({
  version: z.number().optional(),
  models: z
    .array(
      z.strictObject({
        name: z.string(),
        description: z.string().optional(),
        meta: z.record(z.string(), z.unknown()).optional(),
        columns: z
          .array(
            z.strictObject({
              name: z.string(),
              description: z.string().optional(),
              meta: z.record(z.string(), z.unknown()).optional(),
              tags: z
                .union([z.string(), z.array(z.string())])
                .transform((tags) => splitTags(tags))
                .optional(),
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

/**
 * The models of every property file, in the order given; a model described twice (in one file or
 * two) is an error, as in dbt: the second entry would otherwise replace the first's in silence.
 */
export function readSchemaFiles(
  files: { path: string; display: string }[],
  errors: ProjectError[],
): SchemaFile {
  const models = files.flatMap((f) => readSchemaFile(f.path, f.display, errors));
  const first = new Map<string, SchemaModel>();
  for (const m of models) {
    const earlier = first.get(m.name);
    if (!earlier) {
      first.set(m.name, m);
      continue;
    }
    const where = earlier.file === m.file ? `on line ${earlier.line}` : `in ${earlier.file}:${earlier.line}`;
    errors.push({
      file: m.file,
      line: m.line,
      message: `model "${m.name}" is described twice (first ${where}): a model has one entry in the project's YAML files, as in dbt`,
    });
  }
  return { models: models.filter((m) => first.get(m.name) === m) };
}

/** One property file's models with their tests and lines; none when the file cannot be read (its errors say why). */
function readSchemaFile(path: string, display: string, errors: ProjectError[]): SchemaModel[] {
  const loaded = readYaml(path, display, schemaSchema, errors, {
    "models.*.tags": "a model's tags go in its config: config: { tags: [daily] }",
  });
  if (!loaded) return [];
  for (const key of Object.keys(loaded.value).filter((k) => !topKeys.includes(k)))
    errors.push({
      file: display,
      line: loaded.keyLineOf([], key),
      message:
        key in otherBlocks
          ? `${key}: ${otherBlocks[key]}`
          : `(top level): Unrecognized key: "${key}"${didYouMean(key, topKeys) || ` (it takes: ${topKeys.join(", ")})`}`,
    });
  return loaded.value.models.map((m, i) => {
    const at = (...keys: (string | number)[]) => loaded.lineOf(["models", i, ...keys]);
    const tests = (list: unknown[] | undefined, key: string, ...prefix: (string | number)[]) =>
      (list ?? []).map((raw, k) => ({ raw, line: at(...prefix, key, k) }));
    return {
      name: m.name,
      file: display,
      description: m.description,
      meta: m.meta,
      tests: [...tests(m.tests, "tests"), ...tests(m.data_tests, "data_tests")],
      columns: (m.columns ?? []).map((c, j) => ({
        name: c.name,
        description: c.description,
        meta: c.meta,
        tags: c.tags,
        tests: [...tests(c.tests, "tests", "columns", j), ...tests(c.data_tests, "data_tests", "columns", j)],
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
  });
}
