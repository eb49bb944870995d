// The resources of target/manifest.json in dbt's shapes (manifest v12): a model as dbt's Model, a data
// test as its GenericTest or SingularTest, a project.yml source as its SourceDefinition. The schema
// closes each of them (additionalProperties: false), so the runner's own facts go where dbt has a place
// for them (the node's config, its compiled_path).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename, join, posix } from "node:path";
import type { CompiledProject, ModelNode } from "./compile.ts";
import { compiledPath, compiledTestPath } from "./compiled-files.ts";
import type {
  ColumnInfo,
  ManifestMacro,
  ManifestSource,
  ModelManifestNode,
  TestManifestNode,
} from "./manifest-types.ts";
import type { Meta } from "./schema-file.ts";
import { schemaName } from "./sql.ts";
import { failuresRelation, failuresSchema } from "./test-failures.ts";
import { genericTestHash, testAlias } from "./test-names.ts";
import type { DataTest } from "./tests.ts";
import { anyFailure } from "./thresholds.ts";

export type {
  ColumnInfo,
  ManifestMacro,
  ManifestNode,
  ManifestSource,
  ModelManifestNode,
  TestManifestNode,
} from "./manifest-types.ts";

/** The catalog DuckDB gives DATA/warehouse.duckdb. */
const database = "warehouse";

export const modelId = (project: string, name: string) => `model.${project}.${name}`;
/**
 * As dbt's: a singular test's is its name; a generic test's ends in the hash dbt makes of its name and
 * arguments, so that the same schema.yml entry has the same unique_id here as in dbt.
 */
export function testId(project: string, test: Pick<DataTest, "name" | "kind" | "model" | "kwargs">): string {
  if (test.kind === "singular" || !test.model) return `test.${project}.${test.name}`;
  return `test.${project}.${test.name}.${genericTestHash(test.name, test.kind, test.model, test.kwargs ?? {})}`;
}
/** A project.yml source is a dbt source with one table of the same name: `{{source "events"}}` is `source('events', 'events')`. */
export const sourceId = (project: string, name: string) => `source.${project}.${name}.${name}`;
export const macroId = (project: string, name: string) => `macro.${project}.${name}`;

export function testParents(project: CompiledProject, test: DataTest): string[] {
  return test.parents.map((p) => modelId(project.name, p));
}

/** A display path (`models/staging/x.sql`) relative to the models folder. */
const inModels = (file: string) => file.split("/").slice(1).join("/");

/** dbt's fully qualified name of a node: the project, the folders under models/, the name. */
export function fqn(project: string, file: string, name: string): string[] {
  const folder = posix.dirname(inModels(file));
  return [project, ...(folder === "." ? [] : folder.split("/")), name];
}

function fileText(project: CompiledProject, file: string): string {
  try {
    return readFileSync(join(project.modelsDir, inModels(file)), "utf8");
  } catch {
    return "";
  }
}

const sha256 = (text: string) => ({
  name: "sha256" as const,
  checksum: createHash("sha256").update(text).digest("hex"),
});

function columnInfo(
  name: string,
  description = "",
  dataType: string | null = null,
  meta: Meta = {},
): ColumnInfo {
  return { name, description, meta, data_type: dataType, tags: [] };
}

export function modelNode(project: CompiledProject, m: ModelNode): ModelManifestNode {
  const id = modelId(project.name, m.name);
  const raw = fileText(project, m.file);
  const keys = m.config.unique_key;
  return {
    database,
    schema: schemaName,
    name: m.name,
    resource_type: "model",
    package_name: project.name,
    path: inModels(m.file),
    original_file_path: m.file,
    unique_id: id,
    fqn: fqn(project.name, m.file, m.name),
    alias: m.name,
    checksum: sha256(raw),
    config: {
      ...m.config,
      unique_key: keys.length === 0 ? null : keys.length === 1 ? keys[0] : keys,
      // As dbt's: a strategy only where there is an incremental query.
      ...(m.config.materialized === "incremental" ? {} : { incremental_strategy: null }),
      meta: m.config.meta ?? {},
    },
    tags: m.config.tags,
    description: m.description ?? "",
    columns: Object.fromEntries(
      m.columns.map((c) => [c.name, columnInfo(c.name, c.description, null, c.meta)]),
    ),
    ...codeFields(project, {
      raw,
      // dbt gives ephemeral models no relation: they exist only inside a run.
      relation: m.config.materialized === "ephemeral" ? null : m.relation,
      refs: m.parents,
      parentIds: m.parents.map((p) => modelId(project.name, p)),
      sources: m.sources,
      macros: [...new Set([...m.full.macros, ...(m.incremental?.macros ?? [])])],
      compiledPath: compiledPath(m),
    }),
    // As dbt's: its config's meta (its folder's, schema.yml's and its own {{config}}'s), in the node too.
    meta: m.config.meta ?? {},
  };
}

/** What a model's and a test's manifest nodes both say of their code and what it reads. */
function codeFields(
  project: CompiledProject,
  code: {
    raw: string;
    relation: string | null;
    refs: string[];
    parentIds: string[];
    sources: string[];
    macros: string[];
    compiledPath: string;
  },
) {
  return {
    meta: {},
    docs: { show: true, node_color: null },
    relation_name: code.relation,
    raw_code: code.raw,
    language: "sql" as const,
    refs: code.refs.map((name) => ({ name, package: null, version: null })),
    sources: code.sources.map((s): [string, string] => [s, s]),
    metrics: [],
    depends_on: {
      macros: code.macros.map((name) => macroId(project.name, name)),
      nodes: [...code.parentIds, ...code.sources.map((s) => sourceId(project.name, s))],
    },
    compiled_path: join("target", "compiled", code.compiledPath),
  };
}

export function testNode(project: CompiledProject, t: DataTest): TestManifestNode {
  const id = testId(project.name, t);
  const singular = t.kind === "singular";
  const raw = singular ? fileText(project, t.file) : "";
  const node: TestManifestNode = {
    database,
    // As dbt's: a test that stores its failures names the schema and the relation they are in.
    schema: t.storeFailuresAs ? failuresSchema : schemaName,
    name: t.name,
    resource_type: "test",
    package_name: project.name,
    // dbt's path of a generic test is the file it compiles to; a singular test's, its own file.
    path: singular ? inModels(t.file) : `${testAlias(t)}.sql`,
    original_file_path: t.file,
    unique_id: id,
    fqn: fqn(project.name, t.file, t.name),
    alias: testAlias(t),
    // A generic test has no file of its own (dbt's says "none"): its compiled query stands for it,
    // so that state:modified sees a changed argument.
    checksum: sha256(singular ? raw : t.sql),
    config: {
      enabled: !t.disabled,
      materialized: "test",
      severity: t.severity.toUpperCase(),
      ...(t.where === undefined ? {} : { where: t.where }),
      fail_calc: "count(*)",
      limit: t.limit ?? null,
      store_failures: t.storeFailuresAs ? true : null,
      store_failures_as: t.storeFailuresAs ?? null,
      warn_if: t.warnIf ?? anyFailure,
      error_if: t.errorIf ?? anyFailure,
      tags: t.tags ?? [],
      meta: t.meta ?? {},
    },
    tags: t.tags ?? [],
    description: "",
    columns: {},
    ...codeFields(project, {
      raw,
      relation: failuresRelation(t) ?? null,
      refs: t.parents,
      parentIds: testParents(project, t),
      sources: t.sources,
      macros: t.macros ?? [],
      compiledPath: compiledTestPath(t),
    }),
    // As dbt's: its config's meta, in the node too.
    meta: t.meta ?? {},
  };
  if (singular) return node;
  return {
    ...node,
    test_metadata: {
      name: t.kind,
      kwargs: {
        ...t.args,
        ...(t.column ? { column_name: t.column } : {}),
        ...(t.model ? { model: `{{ get_where_subquery(ref('${t.model}')) }}` } : {}),
      },
      namespace: null,
    },
    column_name: t.column ?? null,
    ...(t.model ? { file_key_name: `models.${t.model}` } : {}),
    attached_node: t.model ? modelId(project.name, t.model) : null,
  };
}

export function sourceNode(project: CompiledProject, name: string): ManifestSource {
  const s = project.config.sources[name];
  if (!s) throw new Error(`unknown source "${name}"`);
  const file = `${basename(project.modelsDir) || "models"}/project.yml`;
  return {
    database: null,
    schema: name,
    name,
    resource_type: "source",
    package_name: project.name,
    path: file,
    original_file_path: file,
    unique_id: sourceId(project.name, name),
    fqn: [project.name, name, name],
    source_name: name,
    source_description: "",
    loader: "",
    identifier: name,
    external: {
      location: s.path,
      file_format: s.format,
      partitions: Object.entries(s.partitions).map(([p, type]) => ({
        name: p,
        data_type: type,
        description: "",
        meta: {},
      })),
    },
    description: "",
    columns: Object.fromEntries(Object.entries(s.columns).map(([c, type]) => [c, columnInfo(c, "", type)])),
    meta: {},
    source_meta: {},
    tags: [],
    config: { enabled: true },
    // Read through read_ndjson(...) over the files of the run, not a relation of the warehouse.
    relation_name: null,
  };
}

export function macroNode(project: CompiledProject, name: string, file: string): ManifestMacro {
  return {
    name,
    resource_type: "macro",
    package_name: project.name,
    path: inModels(file),
    original_file_path: file,
    unique_id: macroId(project.name, name),
    macro_sql: fileText(project, file),
    depends_on: { macros: [] },
    description: "",
    meta: {},
    docs: { show: true, node_color: null },
    patch_path: null,
    arguments: [],
    created_at: Date.now() / 1000,
    supported_languages: null,
  };
}
