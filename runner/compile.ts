// Compiles a model project without a database: every model to its full query and, if incremental,
// its incremental query; data tests to failing-row queries. Errors are collected, never thrown.
import { findCycles, type GraphNode } from "./graph.ts";
import { type ModelConfig, resolveConfig } from "./model-config.ts";
import {
  loadProjectFiles,
  type ModelFile,
  type ProjectConfig,
  type ProjectError,
  type SourceType,
} from "./project.ts";
import type { Meta, SchemaModel } from "./schema-file.ts";
import { ephemeralRelationName, relationName } from "./sql.ts";
import { missingRefMessage } from "./suggest.ts";
import { type Rendered, renderTemplate } from "./template.ts";
import { jinjaMistakes } from "./template-jinja.ts";
import { sourceLine } from "./template-lines.ts";
import { refPlaceholder } from "./template-marks.ts";
import { storedViewErrors } from "./test-config.ts";
import { buildDataTests, type DataTest } from "./tests.ts";
import { varsErrors } from "./vars.ts";

export type { ModelConfig } from "./model-config.ts";

export interface ModelNode {
  name: string;
  file: string;
  folder: string;
  relation: string;
  config: ModelConfig;
  full: Rendered;
  incremental?: Rendered;
  parents: string[];
  sources: string[];
  description?: string;
  columns: { name: string; description?: string; meta?: Meta }[];
}

export interface CompiledProject {
  name: string;
  modelsDir: string;
  config: ProjectConfig;
  vars: Record<string, unknown>;
  models: Map<string, ModelNode>;
  /** Models switched off with enabled: false, and their files: left out of everything built. */
  disabled: Map<string, string>;
  /** The disabled models and data tests as compiled, for the manifest's disabled section. */
  disabledModels: ModelNode[];
  disabledTests: DataTest[];
  tests: DataTest[];
  /** Each macro of models/macros/ by name, and its file as messages name it. */
  macroFiles: Record<string, string>;
  /** The column and partition types the sources declare, checked by DuckDB when a run starts. */
  sourceTypes: SourceType[];
  errors: ProjectError[];
  /** Printed before a command runs; they stop nothing. */
  warnings: ProjectError[];
  /** The relation a ref to this model names: main."x", or temp."x" for an ephemeral model. */
  relationOf: (model: string) => string;
}

export interface CompileOptions {
  vars?: Record<string, unknown>;
}

/**
 * Why --select could not name a model of this name, if it could not: it reads spaces and commas as
 * unions and intersections, a colon as a method (tag:), `*`, `?` and brackets as wildcards, and a
 * leading `+` or `@` or a trailing `+` as the graph's operators.
 */
function unselectableName(name: string): string | undefined {
  const reads: [RegExp, string][] = [
    [/\s/, "holds a space, where --select splits its selectors"],
    [/,/, "holds a comma, where --select splits its selectors"],
    [/:/, "holds a colon, where --select reads a method (tag:nightly)"],
    [/[*?[\]]/, "holds a wildcard character (* ? [ ]), which --select matches other names with"],
    [/^(@|\d*\+)/, "starts with an operator of --select (+name takes its parents, @name its children's)"],
    [/\+\d*$/, "ends with an operator of --select (name+ takes its children)"],
  ];
  const problem = reads.find(([pattern]) => pattern.test(name))?.[1];
  if (!problem) return undefined;
  // Every leading and trailing operator goes (@@name, +@name, name++): one left would be read again.
  const renamed = name.replace(/[\s,:*?[\]]+/g, "_").replace(/^(?:@|\d*\+)+|(?:\+\d*)+$/g, "") || "model";
  return `the model name "${name}" ${problem}: rename the file (e.g. ${renamed}.sql)`;
}

export function compileProject(modelsDir: string, opts: CompileOptions = {}): CompiledProject {
  const files = loadProjectFiles(modelsDir);
  const errors = files.errors;
  const vars = { ...files.config.vars, ...(opts.vars ?? {}) };
  const project: CompiledProject = {
    name: files.config.name,
    modelsDir,
    config: files.config,
    vars,
    models: new Map(),
    disabled: new Map(),
    disabledModels: [],
    disabledTests: [],
    tests: [],
    macroFiles: files.macroFiles,
    sourceTypes: files.sourceTypes,
    errors,
    warnings: files.warnings,
    relationOf: relationName,
  };
  // Models compiled against an empty stand-in would each report its vars and sources as unknown,
  // burying the one mistake in project.yml under errors that are not.
  if (!files.configRead) return project;
  // A macro is checked once, in its own file, whether or not a model includes it yet.
  const macroNames = Object.keys(files.macros);
  for (const [name, text] of Object.entries(files.macros))
    for (const mistake of jinjaMistakes(text, macroNames))
      errors.push({ file: files.macroFiles[name] ?? name, ...mistake });
  errors.push(...varsErrors(files.config.vars, opts.vars ?? {}));
  const byName = new Map<string, ModelFile>();
  // DuckDB's names ignore case, so Daily.sql and daily.sql would be one table.
  const byFoldedName = new Map<string, ModelFile>();
  for (const file of files.models) {
    const unselectable = unselectableName(file.name);
    if (unselectable) {
      errors.push({ file: file.file, message: unselectable });
      continue;
    }
    const other = byFoldedName.get(file.name.toLowerCase());
    if (other) {
      errors.push({
        file: file.file,
        message: `two models are named "${file.name}": ${other.file} and ${file.file} (model names must be unique)`,
      });
      continue;
    }
    byName.set(file.name, file);
    byFoldedName.set(file.name.toLowerCase(), file);
  }
  const context: Omit<ModelContext, "relationOf"> = {
    config: files.config,
    schemaConfig: new Map(
      files.schema.models.flatMap((m) => (m.config ? [[m.name, { ...m.config, file: m.file }]] : [])),
    ),
    schemaMeta: new Map(files.schema.models.flatMap((m) => (m.meta ? [[m.name, m.meta]] : []))),
    vars,
    knownSources: new Set(Object.keys(files.config.sources)),
    macros: files.macros,
    macroFiles: files.macroFiles,
  };
  const compileAll = (relationOf: (model: string) => string) => {
    const found: ProjectError[] = [];
    const refs: FileRefs[] = [];
    const nodes = [...byName.values()].map((file) =>
      compileModel(file, { ...context, relationOf }, found, refs),
    );
    return { nodes, errors: found, refs };
  };
  // A model's materialization is in its own template, and a ref to an ephemeral model names another
  // relation: when the first pass finds ephemeral models, a second compiles with their relations.
  let compiled = compileAll(relationName);
  const ephemeral = new Set(
    compiled.nodes.filter((n) => n?.config.materialized === "ephemeral").map((n) => n?.name as string),
  );
  if (ephemeral.size > 0) {
    project.relationOf = (model) => (ephemeral.has(model) ? ephemeralRelationName : relationName)(model);
    compiled = compileAll(project.relationOf);
  }
  errors.push(...compiled.errors);
  for (const node of compiled.nodes)
    if (node?.config.enabled === false) {
      project.disabled.set(node.name, node.file);
      project.disabledModels.push(node);
    } else if (node) project.models.set(node.name, node);
  const disabledFiles = new Set(project.disabled.values());
  // Refs are checked once every model is known, so one pass reports all of them, those of models
  // with other errors too. A disabled model's refs are not resolved, as in dbt.
  for (const { file, refs } of compiled.refs)
    for (const ref of refs) {
      if (disabledFiles.has(file)) continue;
      if (project.disabled.has(ref.name)) {
        const name = files.models.find((m) => m.file === file)?.name ?? file;
        errors.push({
          file,
          ...sourceLine(ref),
          message: `Model '${name}' depends on a node named '${ref.name}' which is disabled (enabled: false)`,
        });
        continue;
      }
      const error = { file, ...sourceLine(ref), message: missingRefMessage(ref.name, byName.keys()) };
      if (!byName.has(ref.name) && !errors.some((e) => sameError(e, error))) errors.push(error);
    }
  // An ephemeral model lives only as long as the run's connection; a view is read after it.
  for (const node of project.models.values()) {
    if (node.config.materialized !== "view") continue;
    for (const ref of node.full.refs)
      if (
        ephemeral.has(ref.name) &&
        !errors.some((e) => sameError(e, { file: node.file, ...sourceLine(ref), message: e.message }))
      )
        errors.push({
          file: node.file,
          ...sourceLine(ref),
          message: `the view "${node.name}" refs the ephemeral model "${ref.name}", which is gone once the run ends: make one of them a table or a view`,
        });
  }
  for (const chain of findCycles(graphOf(project))) {
    const first = project.models.get(chain[0] as string);
    // The ref may be only in the incremental query, where a model reading its own table belongs.
    const refs = [...(first?.full.refs ?? []), ...(first?.incremental?.refs ?? [])];
    const ref = refs.find((r) => r.name === chain[1]);
    const message =
      chain.length === 2
        ? `dependency cycle: ${chain.join(" > ")} (a model reads its own table with {{self}}, not {{ref}})`
        : `dependency cycle: ${chain.join(" > ")}`;
    errors.push({ file: first?.file ?? "models", ...sourceLine(ref ?? {}), message });
  }
  // Descriptions and columns from schema.yml.
  for (const entry of files.schema.models) {
    const node = project.models.get(entry.name);
    if (!node) continue;
    node.description = entry.description;
    node.columns = (entry.columns ?? []).map((c) => ({
      name: c.name,
      description: c.description,
      meta: c.meta,
    }));
  }
  project.tests = buildDataTests(files, project, errors);
  errors.push(...storedViewErrors(project.tests, project));
  return project;
}

/** What every model of a project compiles against. */
interface ModelContext {
  config: ProjectConfig;
  /** Each model's config: from schema.yml, with that file's name. */
  schemaConfig: Map<string, NonNullable<SchemaModel["config"]> & { file: string }>;
  schemaMeta: Map<string, Meta>;
  vars: Record<string, unknown>;
  knownSources: ReadonlySet<string>;
  macros: Record<string, string>;
  macroFiles: Record<string, string>;
  relationOf: (model: string) => string;
}

/** The refs one render of a model found, kept even when the model has other errors. */
interface FileRefs {
  file: string;
  refs: Rendered["refs"];
}

function compileModel(
  file: ModelFile,
  context: ModelContext,
  errors: ProjectError[],
  refs: FileRefs[],
): ModelNode | undefined {
  const { relationOf } = context;
  const render = (isIncremental: boolean, watermark?: string) =>
    renderTemplate({
      text: file.text,
      vars: context.vars,
      isIncremental,
      watermark,
      self: relationOf(file.name),
      // Marked, so that a run with --empty can read each parent as zero rows.
      relationOf: (model) => refPlaceholder(relationOf(model)),
      knownSources: context.knownSources,
      macros: context.macros,
      macroFiles: context.macroFiles,
    });
  const full = render(false);
  // The incremental render finds the full render's mistakes again.
  const report = (r: Rendered) => {
    for (const e of r.errors) {
      const error = { file: file.file, ...e };
      if (!errors.some((x) => sameError(x, error))) errors.push(error);
    }
  };
  report(full);
  refs.push({ file: file.file, refs: full.refs });
  if (full.errors.length) return undefined;
  const modelConfig = resolveConfig(
    file,
    context.config,
    full.config,
    errors,
    context.schemaConfig.get(file.name),
    context.schemaMeta.get(file.name),
  );
  if (!modelConfig) return undefined;
  const node = { name: file.name, file: file.file, folder: file.folder, relation: relationOf(file.name) };
  if (!modelConfig.enabled)
    return { ...node, config: modelConfig, full, parents: [], sources: [], columns: [] };
  let incremental: Rendered | undefined;
  if (modelConfig.materialized === "incremental") {
    incremental = render(true, modelConfig.watermark);
    report(incremental);
    refs.push({ file: file.file, refs: incremental.refs });
    if (incremental.errors.length) return undefined;
    if (incremental.rangeStart && modelConfig.incremental_strategy !== "time_range")
      return void errors.push({
        file: file.file,
        line: incremental.rangeStart.line,
        message: `{{#range_start}} declares where a time_range batch starts: it needs incremental_strategy="time_range", not "${modelConfig.incremental_strategy}"`,
      });
  }
  const parents = [...new Set([...full.refs, ...(incremental?.refs ?? [])].map((r) => r.name))];
  return {
    ...node,
    config: modelConfig,
    full,
    incremental,
    parents,
    sources: [...new Set(full.sources.map((s) => s.name))],
    columns: [],
  };
}

/** The same message at the same place: a model's two renders, or its two refs of one name, find it twice. */
function sameError(a: ProjectError, b: ProjectError): boolean {
  return (
    a.file === b.file &&
    a.line === b.line &&
    a.message === b.message &&
    JSON.stringify(a.macroLines ?? []) === JSON.stringify(b.macroLines ?? [])
  );
}

export function graphOf(project: CompiledProject): Map<string, GraphNode> {
  return new Map(
    [...project.models.values()].map((m) => [
      m.name,
      {
        name: m.name,
        parents: m.parents,
        tags: m.config.tags,
        file: m.file,
        sources: m.sources,
      },
    ]),
  );
}
