// Data tests: the four generic column tests from schema.yml and singular tests from models/tests/*.sql.
// Each compiles to a query whose rows are failures.
import type { CompiledProject } from "./compile.ts";
import { genericTest } from "./generic-tests.ts";
import { type ProjectError, type ProjectFiles, testDefaultsOf } from "./project.ts";
import type { Meta, SchemaTest } from "./schema-file.ts";
import { relationName } from "./sql.ts";
import { didYouMean, missingRefMessage } from "./suggest.ts";
import { renderTemplate } from "./template.ts";
import { type LineMaps, sourceLine } from "./template-lines.ts";
import { configuredFields, readTestConfig, testConfigKeys } from "./test-config.ts";
import { defaultEntries, defaultsFor } from "./test-defaults.ts";

export type Severity = "error" | "warn";
export type TestKind = "not_null" | "unique" | "accepted_values" | "relationships" | "singular";

export interface DataTest {
  /** dbt's name: in the unique_id, the console and what a selector matches. */
  name: string;
  /** dbt's alias of a generic test whose name is past 63 characters: its compiled file's and stored failures' name. */
  alias?: string;
  kind: TestKind;
  file: string;
  line?: number;
  /** The model the test belongs to (for generic tests), whose descendants an error failure skips. */
  model?: string;
  column?: string;
  /** A generic test's own arguments as dbt's test_metadata.kwargs holds them: values and quote, to as `ref('x')` and field. */
  args?: Record<string, unknown>;
  /** A generic test's column_name and arguments as schema.yml writes them, which dbt hashes into its unique_id. */
  kwargs?: Record<string, unknown>;
  severity: Severity;
  /** dbt's warn_if and error_if, as "> 10" (when not given, any failing row counts: "!= 0"). */
  warnIf?: string;
  errorIf?: string;
  /** dbt's limit: at most this many failing rows are counted (and stored). */
  limit?: number;
  /** dbt's store_failures(_as): the failing rows are kept in a table or a view of their own. */
  storeFailuresAs?: "table" | "view";
  /** Whether the test's config says store_failures(_as): then the --store-failures flag does not change it. */
  storeFailuresWritten?: true;
  /** A generic test's `where` config: the condition on the model's rows that it tests. */
  where?: string;
  /** dbt's tags: its own, and its column's, for tag: selectors. */
  tags?: string[];
  /** dbt's meta: what the user keeps about the test, carried to manifest.json. */
  meta?: Meta;
  /** dbt's enabled: false: the test never runs, and the manifest lists it under disabled. */
  disabled?: true;
  /** Every model the query reads. */
  parents: string[];
  /** Every source the query reads. */
  sources: string[];
  /** The macros a singular test's query includes. */
  macros?: string[];
  sql: string;
  /** A singular test's: where each line of its query came from. */
  lineMap?: number[];
  macroLines?: LineMaps["macroLines"];
}

const singularConfigKeys = testConfigKeys;

export function buildDataTests(
  files: ProjectFiles,
  project: CompiledProject,
  errors: ProjectError[],
): DataTest[] {
  const tests: DataTest[] = [];
  const names = new Set<string>();
  // A second test of the same name (one differing only in its config) gets _2, and so does its alias:
  // its name is a file's under target/compiled (and a table's, with store_failures).
  const uniqueName = (test: { name: string; alias?: string }) => {
    const base = safeName(test.name);
    let suffix = "";
    for (let i = 2; names.has(`${base}${suffix}`); i++) suffix = `_${i}`;
    names.add(`${base}${suffix}`);
    return {
      name: `${base}${suffix}`,
      ...(test.alias === undefined ? {} : { alias: `${test.alias}${suffix}` }),
    };
  };
  // Where each enabled test's name is given (a file, or a schema.yml line): as in dbt, a singular
  // test's name is its own, and a second one is an error naming both, not a test quietly renamed.
  const namedAt = new Map<string, string>();
  // As dbt's: a generic test takes the defaults of its model's folder, a singular test of its own.
  const defaults = defaultEntries(testDefaultsOf(files.config), files.config.name);
  // A model that failed to compile has its own error; the tests that name it do not add more.
  const modelFiles = new Set(files.models.map((file) => file.name));
  for (const entry of files.schema.models) {
    const schemaFile = entry.file;
    if (!project.models.has(entry.name)) {
      if (modelFiles.has(entry.name)) continue;
      errors.push({
        file: schemaFile,
        line: entry.line,
        message: `${entry.file.split("/").at(-1)} describes a model that does not exist: "${entry.name}"${didYouMean(entry.name, modelFiles)}`,
      });
      continue;
    }
    const add = ({ raw, line }: SchemaTest, column: string | undefined, columnTags: string[] = []) => {
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
        defaultsFor(defaults, project.models.get(entry.name)?.folder ?? ""),
      );
      // As dbt: a name of the user's own (name:) given twice is an error, where one made up gets _2.
      if (test && isNamed(raw) && names.has(test.name))
        return errors.push({
          file: schemaFile,
          line,
          message: `a second data test is named "${test.name}": give each its own name`,
        });
      if (!test) return;
      const named = uniqueName(test);
      if (!test.disabled) namedAt.set(named.name, `${schemaFile}:${line}`);
      (test.disabled ? project.disabledTests : tests).push({
        ...test,
        // As dbt's: a column's tags go to each of its tests, with the test's own.
        ...(columnTags.length || test.tags
          ? { tags: [...new Set([...columnTags, ...(test.tags ?? [])])] }
          : {}),
        ...named,
        file: schemaFile,
        line,
      });
    };
    for (const t of entry.tests) add(t, undefined);
    for (const column of entry.columns) for (const t of column.tests) add(t, column.name, column.tags);
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
      macroFiles: files.macroFiles,
    });
    for (const e of rendered.errors) errors.push({ file: file.file, ...e });
    // As for generic tests: a misspelt key (severty=) would leave the test checking at another severity.
    for (const key of Object.keys(rendered.config?.args ?? {}))
      if (!singularConfigKeys.includes(key))
        errors.push({
          file: file.file,
          line: rendered.config?.line,
          message: `unknown config key "${key}" of a data test (it takes: ${singularConfigKeys.join(", ")})`,
        });
    const folderDefaults = defaultsFor(defaults, file.folder);
    const config = readTestConfig((key) => rendered.config?.args[key] ?? folderDefaults[key]);
    if (typeof config === "string")
      errors.push({ file: file.file, line: rendered.config?.line, message: config });
    // A disabled test is not resolved, as in dbt: what it reads need not exist.
    if (typeof config !== "string" && !config.enabled) {
      project.disabledTests.push({
        ...uniqueName({ name: file.name }),
        kind: "singular",
        file: file.file,
        ...configuredFields(config),
        disabled: true,
        parents: [...new Set(rendered.refs.map((r) => r.name))],
        sources: [...new Set(rendered.sources.map((s) => s.name))],
        sql: rendered.sql,
      });
      continue;
    }
    const off = rendered.refs.find((ref) => project.disabled.has(ref.name));
    if (off) {
      project.warnings.push({
        ...disabledParentWarning(file.file, off.line, file.name, off.name),
        ...sourceLine(off),
      });
      continue;
    }
    for (const ref of rendered.refs)
      if (!modelFiles.has(ref.name))
        errors.push({
          file: file.file,
          ...sourceLine(ref),
          message: missingRefMessage(ref.name, modelFiles),
        });
    const other = namedAt.get(safeName(file.name));
    if (other)
      errors.push({
        file: file.file,
        message: `two data tests are named "${safeName(file.name)}": ${other} and ${file.file} (data test names must be unique)`,
      });
    else namedAt.set(safeName(file.name), file.file);
    if (rendered.errors.length || typeof config === "string" || other) continue;
    tests.push({
      ...uniqueName({ name: file.name }),
      kind: "singular",
      file: file.file,
      ...configuredFields(config),
      parents: [...new Set(rendered.refs.map((r) => r.name))],
      sources: [...new Set(rendered.sources.map((s) => s.name))],
      macros: rendered.macros,
      sql: rendered.sql,
      lineMap: rendered.lineMap,
      macroLines: rendered.macroLines,
    });
  }
  return tests;
}

/** A test's name as a file and a table may take it: `my-check` is `my_check`. */
const safeName = (name: string) => name.replace(/[^A-Za-z0-9_]+/g, "_");

/** Whether a schema.yml test entry gives its own name (dbt's name:, beside or under its test). */
function isNamed(raw: unknown): boolean {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return false;
  const entry = raw as Record<string, unknown>;
  const args = "test_name" in entry ? entry : Object.values(entry)[0];
  return !!args && typeof args === "object" && "name" in args;
}

/** As dbt: a test that reads a disabled model is left out, with a warning rather than an error. */
function disabledParentWarning(file: string, line: number | undefined, test: string, parent: string) {
  return {
    file,
    line,
    message: `test '${test}' depends on a node named '${parent}' which is disabled, so it does not run`,
  };
}
