// Data tests: the four generic column tests from schema.yml and singular tests from models/tests/*.sql.
// Each compiles to a query whose rows are failures.
import type { CompiledProject } from "./compile.ts";
import type { ProjectError, ProjectFiles } from "./project.ts";
import type { SchemaTest } from "./schema-file.ts";
import { quoteIdent, quoteString, relationName, sqlLiteral } from "./sql.ts";
import { didYouMean, missingRefMessage } from "./suggest.ts";
import { renderTemplate } from "./template.ts";
import { readTestConfig, testConfigKeys } from "./test-config.ts";

export type Severity = "error" | "warn";
export type TestKind = "not_null" | "unique" | "accepted_values" | "relationships" | "singular";

export interface DataTest {
  name: string;
  kind: TestKind;
  file: string;
  line?: number;
  /** The model the test belongs to (for generic tests), whose descendants an error failure skips. */
  model?: string;
  column?: string;
  /** A generic test's own arguments as dbt's test_metadata.kwargs holds them: values and quote, to as `ref('x')` and field. */
  args?: Record<string, unknown>;
  severity: Severity;
  /** dbt's warn_if and error_if, as "> 10" (when not given, any failing row counts: "!= 0"). */
  warnIf?: string;
  errorIf?: string;
  /** dbt's limit: at most this many failing rows are counted (and stored). */
  limit?: number;
  /** dbt's store_failures(_as): the failing rows are kept in a table or a view of their own. */
  storeFailuresAs?: "table" | "view";
  /** A generic test's `where` config: the condition on the model's rows that it tests. */
  where?: string;
  /** Every model the query reads. */
  parents: string[];
  /** Every source the query reads. */
  sources: string[];
  /** The macros a singular test's query includes. */
  macros?: string[];
  sql: string;
  lineMap?: number[];
}

const genericKinds = ["not_null", "unique", "accepted_values", "relationships"] as const;
const commonArgs = ["where", ...testConfigKeys, "config", "column_name"];
const configKeys = ["where", ...testConfigKeys];
const singularConfigKeys = testConfigKeys;
const kindArgs: Record<string, string[]> = {
  accepted_values: ["values", "quote"],
  relationships: ["to", "field"],
};

export function buildDataTests(
  files: ProjectFiles,
  project: CompiledProject,
  errors: ProjectError[],
): DataTest[] {
  const tests: DataTest[] = [];
  const names = new Set<string>();
  const uniqueName = (written: string) => {
    // A test's name becomes a file name under target/compiled (and a table's, with store_failures).
    const base = written.replace(/[^A-Za-z0-9_]+/g, "_").slice(0, 120);
    let name = base;
    for (let i = 2; names.has(name); i++) name = `${base}_${i}`;
    names.add(name);
    return name;
  };
  const schemaFile = `${files.top}/schema.yml`;
  // A model that failed to compile has its own error; the tests that name it do not add more.
  const modelFiles = new Set(files.models.map((file) => file.name));
  for (const entry of files.schema.models) {
    if (!project.models.has(entry.name)) {
      if (modelFiles.has(entry.name)) continue;
      errors.push({
        file: schemaFile,
        line: entry.line,
        message: `schema.yml describes a model that does not exist: "${entry.name}"${didYouMean(entry.name, modelFiles)}`,
      });
      continue;
    }
    const add = ({ raw, line }: SchemaTest, column: string | undefined) => {
      const test = genericTest(
        raw,
        entry.name,
        column,
        project,
        (message) =>
          errors.push({
            file: schemaFile,
            line,
            message: `model "${entry.name}"${column ? ` column "${column}"` : ""}: ${message}`,
          }),
        (name, parent) => project.warnings.push(disabledParentWarning(schemaFile, line, name, parent)),
      );
      if (test) tests.push({ ...test, name: uniqueName(test.name), file: schemaFile, line });
    };
    for (const t of entry.tests) add(t, undefined);
    for (const column of entry.columns) for (const t of column.tests) add(t, column.name);
  }
  const knownSources = new Set(Object.keys(files.config.sources));
  for (const file of files.singularTests) {
    const rendered = renderTemplate({
      text: file.text,
      vars: project.vars,
      isIncremental: false,
      self: relationName(file.name),
      relationOf: project.relationOf,
      knownSources,
      macros: files.macros,
    });
    for (const e of rendered.errors) errors.push({ file: file.file, line: e.line, message: e.message });
    const off = rendered.refs.find((ref) => project.disabled.has(ref.name));
    if (off) {
      project.warnings.push(disabledParentWarning(file.file, off.line, file.name, off.name));
      continue;
    }
    for (const ref of rendered.refs)
      if (!modelFiles.has(ref.name))
        errors.push({
          file: file.file,
          line: ref.line,
          message: missingRefMessage(ref.name, modelFiles),
        });
    // As for generic tests: a misspelt key (severty=) would leave the test checking at another severity.
    for (const key of Object.keys(rendered.config?.args ?? {}))
      if (!singularConfigKeys.includes(key))
        errors.push({
          file: file.file,
          line: rendered.config?.line,
          message: `unknown config key "${key}" of a data test (it takes: ${singularConfigKeys.join(", ")})`,
        });
    const config = readTestConfig((key) => rendered.config?.args[key]);
    if (typeof config === "string")
      errors.push({ file: file.file, line: rendered.config?.line, message: config });
    if (rendered.errors.length || typeof config === "string" || !config.enabled) continue;
    tests.push({
      name: uniqueName(file.name),
      kind: "singular",
      file: file.file,
      severity: config.severity,
      ...(config.warnIf ? { warnIf: config.warnIf } : {}),
      ...(config.errorIf ? { errorIf: config.errorIf } : {}),
      ...(config.limit ? { limit: config.limit } : {}),
      ...(config.storeFailuresAs ? { storeFailuresAs: config.storeFailuresAs } : {}),
      parents: [...new Set(rendered.refs.map((r) => r.name))],
      sources: [...new Set(rendered.sources.map((s) => s.name))],
      macros: rendered.macros,
      sql: rendered.sql,
      lineMap: rendered.lineMap,
    });
  }
  return tests;
}

type Generic = Omit<DataTest, "file" | "line">;

/** As dbt: a test that reads a disabled model is left out, with a warning rather than an error. */
function disabledParentWarning(file: string, line: number | undefined, test: string, parent: string) {
  return {
    file,
    line,
    message: `test '${test}' depends on a node named '${parent}' which is disabled, so it does not run`,
  };
}

function genericTest(
  raw: unknown,
  model: string,
  column: string | undefined,
  project: CompiledProject,
  fail: (message: string) => void,
  /** Leaves out the test, which reads a disabled model. */
  leaveOut: (name: string, parent: string) => void,
): Generic | undefined {
  let kind: string;
  let args: Record<string, unknown> = {};
  if (typeof raw === "string") kind = raw;
  else if (raw && typeof raw === "object" && !Array.isArray(raw) && Object.keys(raw).length === 1) {
    const [key, value] = Object.entries(raw)[0] as [string, unknown];
    kind = key;
    if (value !== null && value !== undefined) {
      if (typeof value !== "object" || Array.isArray(value))
        return void fail(`the arguments of ${key} must be a mapping`);
      args = value as Record<string, unknown>;
    }
  } else return void fail(notOneKey(raw));
  if (!(genericKinds as readonly string[]).includes(kind))
    return void fail(`unknown test "${kind}" (known: ${genericKinds.join(", ")})`);
  // dbt 1.10 writes a test's own arguments under arguments:, apart from its config.
  if (args.arguments !== undefined) {
    const { arguments: nested, ...rest } = args;
    const own = ["column_name", ...(kindArgs[kind] ?? [])];
    if (!nested || typeof nested !== "object" || Array.isArray(nested))
      return void fail(`the arguments: of ${kind} must be a mapping`);
    const other = Object.keys(nested).find((key) => !own.includes(key) || key in rest);
    if (other)
      return void fail(
        other in rest
          ? `${kind} is given "${other}" twice, under arguments: and beside it`
          : `${kind} has no argument "${other}" (under arguments: it takes: ${own.join(", ")})`,
      );
    args = { ...rest, ...nested };
  }
  // A misspelt argument (severty:) or one of dbt's this runner lacks (limit:) would otherwise be
  // ignored without a word, and the test would check something else than what it says.
  const known = [...commonArgs, ...(kindArgs[kind] ?? [])];
  const unknown = Object.keys(args).find((key) => !known.includes(key));
  if (unknown) return void fail(`${kind} has no argument "${unknown}" (it takes: ${known.join(", ")})`);
  const config = (args.config ?? {}) as Record<string, unknown>;
  const unknownConfig = Object.keys(config).find((key) => !configKeys.includes(key));
  if (unknownConfig)
    return void fail(`${kind} has no config "${unknownConfig}" (it takes: ${configKeys.join(", ")})`);
  // As dbt's where config: the test reads only the model's rows that match it.
  const where = args.where ?? config.where;
  if (where !== undefined && (typeof where !== "string" || where.trim() === ""))
    return void fail('where must be a SQL condition, such as where: "event_ts > now() - interval 7 days"');
  const own = readTestConfig((key) => args[key] ?? config[key]);
  if (typeof own === "string") return void fail(own);
  if (!own.enabled) return undefined;
  const col = (typeof args.column_name === "string" ? args.column_name : undefined) ?? column;
  if (!col) return void fail(`${kind} needs a column (put it under columns:, or give column_name)`);
  const rel =
    where === undefined
      ? project.relationOf(model)
      : `(select * from ${project.relationOf(model)} where ${where}) as dbt_subquery`;
  // As in dbt, a column_name may be an expression, e.g. `country || '-' || order_id` for a unique
  // combination; a name is quoted, so that any column works.
  const c = isName(col) || col === column ? quoteIdent(col) : `(${col})`;
  const base = {
    kind: kind as Generic["kind"],
    model,
    column: col,
    severity: own.severity,
    ...(own.warnIf ? { warnIf: own.warnIf } : {}),
    ...(own.errorIf ? { errorIf: own.errorIf } : {}),
    ...(own.limit ? { limit: own.limit } : {}),
    ...(own.storeFailuresAs ? { storeFailuresAs: own.storeFailuresAs } : {}),
    sources: [],
    ...(where === undefined ? {} : { where }),
  };
  switch (kind) {
    case "not_null":
      return {
        ...base,
        name: `not_null_${model}_${col}`,
        parents: [model],
        sql: `select * from ${rel} where ${c} is null`,
      };
    case "unique":
      return {
        ...base,
        name: `unique_${model}_${col}`,
        parents: [model],
        sql: `select ${c} as unique_field, count(*) as n_records from ${rel} where ${c} is not null group by ${c} having count(*) > 1`,
      };
    case "accepted_values": {
      const values = args.values;
      if (!Array.isArray(values) || values.length === 0)
        return void fail("accepted_values needs values: [...]");
      if (args.quote !== undefined && typeof args.quote !== "boolean")
        return void fail("quote must be true or false");
      // As dbt: values are compared as strings unless quote: false (then as written: numbers, booleans).
      const literal = (v: unknown) => (args.quote === false ? sqlLiteral(v) : quoteString(String(v)));
      return {
        ...base,
        name: `accepted_values_${model}_${col}`,
        args: { values, ...(args.quote === undefined ? {} : { quote: args.quote }) },
        parents: [model],
        sql: `select ${c} as value_field, count(*) as n_records from ${rel} where ${c} is not null and ${c} not in (${values.map(literal).join(", ")}) group by ${c}`,
      };
    }
    default: {
      const to =
        typeof args.to === "string" ? args.to.replace(/^ref\(\s*['"](.+)['"]\s*\)$/, "$1") : undefined;
      const field = typeof args.field === "string" ? args.field : undefined;
      if (!to || !field) return void fail("relationships needs to: model and field: column");
      const name = `relationships_${model}_${col}__${field}__${to}`;
      if (project.disabled.has(to)) return void leaveOut(name, to);
      if (!project.models.has(to))
        return void fail(`relationships points to a model that does not exist: "${to}"`);
      return {
        ...base,
        name,
        args: { to: `ref('${to}')`, field },
        parents: [...new Set([model, to])],
        sql: `select child.from_field from (select ${c} as from_field from ${rel}) as child left join ${project.relationOf(to)} as parent on child.from_field = parent.${quoteIdent(field)} where child.from_field is not null and parent.${quoteIdent(field)} is null`,
      };
    }
  }
}

/**
 * Why a test entry is not a name or a one-key mapping; most often its arguments are indented as
 * deep as the test's name (`- accepted_values:` then `values:` under the dash), so YAML reads them
 * as keys beside it.
 */
function notOneKey(raw: unknown): string {
  const entries = raw && typeof raw === "object" && !Array.isArray(raw) ? Object.entries(raw) : [];
  const bare = entries.filter(([key, value]) => value === null && genericKinds.some((k) => k === key));
  if (bare.length === 1 && entries.length > 1) {
    const kind = bare[0]?.[0];
    const beside = entries.map(([key]) => key).filter((key) => key !== kind);
    return `${beside.join(", ")} ${beside.length === 1 ? "sits" : "sit"} beside ${kind}: instead of under it: indent ${beside.length === 1 ? "it" : "them"} two more spaces than "${kind}"`;
  }
  return `a test must be a name or a one-key mapping, got ${JSON.stringify(raw)}`;
}

const isName = (column: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(column);
