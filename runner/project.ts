// Reading a model project from disk: project.yml (validated), the model files, schema.yml and
// singular tests. Nothing here needs a database; every problem becomes a ProjectError naming the file.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative, sep } from "node:path";
import { z } from "zod";
import { entryFolder, folderEntryCovers } from "./project-folders.ts";
import { readSchemaFiles, type SchemaFile } from "./schema-file.ts";
import { selectorsPath } from "./selectors-file.ts";
import type { MacroLine } from "./template-lines.ts";
import { defaultEntries, type TestDefaults, testDefaultsSchema } from "./test-defaults.ts";
import { readYaml } from "./yaml-file.ts";

export interface ProjectError {
  /** Path relative to the project folder's parent, e.g. `models/sessions.sql`. */
  file: string;
  line?: number;
  message: string;
  /**
   * A mistake inside a macro: the macro's file and line, then those of the macros that include it
   * (innermost first); `line` is then the line of `file` that includes the macro.
   */
  macroLines?: MacroLine[];
}

const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a plain SQL identifier");

export { entryFolder, folderEntryCovers };

// Column types end up inside SQL, so only type names and their parameters are accepted.
const columnType = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*(\([0-9, ]+\))?(\[\])*$/, "must be a DuckDB type name");
export const materializations = ["table", "view", "incremental", "ephemeral"] as const;
export type Materialization = (typeof materializations)[number];

/** How many hours before its watermark's an incremental build reads a source from, unless the source says. */
export const DEFAULT_LOOKBACK_HOURS = 2;

const sourceSchema = z.strictObject({
  path: z.string().min(1),
  format: z.literal("ndjson").default("ndjson"),
  columns: z
    .record(identifier, columnType)
    .refine((c) => Object.keys(c).length > 0, "needs at least one column"),
  partitions: z.record(identifier, columnType).default({}),
  lookback_hours: z.number().int().min(0).default(DEFAULT_LOOKBACK_HOURS),
});
export type SourceConfig = z.infer<typeof sourceSchema>;

const tagList = z.union([z.string(), z.array(z.string())]).transform(splitTags);
const folderSchema = z.strictObject({
  materialized: z.enum(materializations).optional(),
  tags: tagList.optional(),
  enabled: z.boolean().optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});

const projectSchema = z.strictObject({
  name: identifier,
  vars: z.record(z.string(), z.unknown()).default({}),
  sources: z.record(identifier, sourceSchema).default({}),
  folders: z.record(z.string(), folderSchema).default({}),
  // dbt's data_tests: block, and tests:, its name before dbt 1.8.
  data_tests: testDefaultsSchema.optional(),
  tests: testDefaultsSchema.optional(),
});
export type ProjectConfig = z.infer<typeof projectSchema>;

// dbt_project.yml's models: block, copied over, would otherwise get only the list of keys there are.
const dbtProjectKeys = {
  models:
    "dbt_project.yml's models: block is folders: here, keyed by the folder under models/, with no project name and no +: folders: { marts: { materialized: table } }",
};

export function splitTags(tags: string | string[]): string[] {
  const list = Array.isArray(tags) ? tags : tags.split(",");
  return list.map((t) => t.trim()).filter(Boolean);
}

export interface ModelFile {
  name: string;
  /** Display path, e.g. `models/staging/stg_events.sql`. */
  file: string;
  /** Folder under models/, posix style, "" at the top. */
  folder: string;
  text: string;
}

/** A column or partition type of a source, where project.yml gives it. */
export interface SourceType {
  /** Its key path in project.yml, `sources.events.columns.event_type`. */
  key: string;
  type: string;
  file: string;
  line?: number;
}

export interface ProjectFiles {
  root: string;
  /** How the models folder is named in messages, e.g. `models`. */
  top: string;
  config: ProjectConfig;
  /** False when project.yml is missing or invalid: then `config` is an empty stand-in. */
  configRead: boolean;
  models: ModelFile[];
  singularTests: ModelFile[];
  /** models/macros/*.sql: templates that models and tests include with {{> name}}. */
  macros: Record<string, string>;
  /** Each macro's file, as messages name it (`models/macros/x.sql`). */
  macroFiles: Record<string, string>;
  schema: SchemaFile;
  /** Every type the sources declare, which a run has DuckDB check (source-types.ts). */
  sourceTypes: SourceType[];
  errors: ProjectError[];
  /** Mistakes that change nothing built, such as a folders entry no model is in: printed, not fatal. */
  warnings: ProjectError[];
}

export function loadProjectFiles(modelsDir: string): ProjectFiles {
  const errors: ProjectError[] = [];
  const top = basename(modelsDir) || "models";
  const display = (abs: string) => [top, ...relative(modelsDir, abs).split(sep)].join("/");
  const empty: ProjectConfig = { name: "ownstats", vars: {}, sources: {}, folders: {} };
  const files: ProjectFiles = {
    root: modelsDir,
    top,
    config: empty,
    configRead: false,
    models: [],
    singularTests: [],
    macros: {},
    macroFiles: {},
    schema: { models: [] },
    sourceTypes: [],
    errors,
    warnings: [],
  };
  const found = statSync(modelsDir, { throwIfNoEntry: false });
  if (!found?.isDirectory()) {
    // dbt's --models (and -m) picks models: `--models sessions` lands here, as a folder that is not there.
    const what = found
      ? "is a file, not a folder"
      : "does not exist (--models names the model project folder; models are picked with --select, which dbt's --models and -m are)";
    errors.push({ file: top, message: `the models folder ${modelsDir} ${what}` });
    return files;
  }
  let lineOf: (keys: string[]) => number | undefined = () => undefined;
  const projectPath = join(modelsDir, "project.yml");
  if (!existsSync(projectPath)) {
    errors.push({ file: display(projectPath), message: "project.yml is missing" });
  } else {
    const loaded = readYaml(projectPath, display(projectPath), projectSchema, errors, dbtProjectKeys);
    if (loaded) {
      files.config = loaded.value;
      files.configRead = true;
      lineOf = loaded.lineOf;
    }
  }
  // As dbt: any .yml beside the models describes them (models/marts/_marts.yml), not schema.yml alone,
  // whose tests would otherwise never run, without a word. schema.yml is read first.
  const schemaPath = join(modelsDir, "schema.yml");
  const propertyFiles = walk(modelsDir, (name) => /\.ya?ml$/.test(name))
    // selectors.yml, beside project.yml as dbt's beside dbt_project.yml, names selections (--selector).
    .filter((abs) => abs !== projectPath && abs !== selectorsPath(modelsDir))
    .sort((a, b) => Number(b === schemaPath) - Number(a === schemaPath));
  files.schema = readSchemaFiles(
    propertyFiles.map((abs) => ({ path: abs, display: display(abs) })),
    errors,
  );
  const testsDir = join(modelsDir, "tests");
  const macrosDir = join(modelsDir, "macros");
  for (const abs of walk(modelsDir, (name) => name.endsWith(".sql"))) {
    const rel = relative(modelsDir, abs).split(sep);
    const file: ModelFile = {
      name: basename(abs, ".sql"),
      file: display(abs),
      folder: rel.slice(0, -1).join("/"),
      text: readFileSync(abs, "utf8"),
    };
    if (abs.startsWith(macrosDir + sep)) {
      const other = files.macroFiles[file.name];
      if (other)
        errors.push({
          file: file.file,
          message: `two macros are named "${file.name}": ${other} and ${file.file} (macro names must be unique)`,
        });
      files.macroFiles[file.name] = file.file;
      files.macros[file.name] = file.text.replace(/\n$/, "");
    } else (abs.startsWith(testsDir + sep) ? files.singularTests : files.models).push(file);
  }
  // A misspelt folder (mart: for marts/) would silently leave its models with the default view. As in
  // dbt it is a warning: a folder whose last model was deleted must not stop the build.
  for (const key of Object.keys(files.config.folders))
    if (!files.models.some((m) => folderEntryCovers(key, m.folder)))
      files.warnings.push({
        file: display(projectPath),
        line: lineOf(["folders", key]),
        message: `folders.${key} applies to no model: nothing is in ${top}/${entryFolder(key)}/`,
      });
  testDefaultsProblems(files, display(projectPath), lineOf);
  for (const [name, source] of Object.entries(files.config.sources))
    for (const block of ["columns", "partitions"] as const)
      for (const [column, type] of Object.entries(source[block]))
        files.sourceTypes.push({
          key: `sources.${name}.${block}.${column}`,
          type,
          file: display(projectPath),
          line: lineOf(["sources", name, block, column]),
        });
  return files;
}

/** The data_tests: (or tests:) block of project.yml: the defaults of every data test. */
export function testDefaultsOf(config: ProjectConfig): TestDefaults {
  return config.data_tests ?? config.tests ?? {};
}

/** Both names of the block at once is an error, as in dbt; a folder no test is in, a warning as for folders:. */
function testDefaultsProblems(
  files: ProjectFiles,
  file: string,
  lineOf: (keys: string[]) => number | undefined,
): void {
  const { config } = files;
  if (config.data_tests && config.tests)
    files.errors.push({
      file,
      line: lineOf(["tests"]),
      message:
        "data_tests: and tests: are one block (tests: is its name before dbt 1.8): keep data_tests: alone",
    });
  const block = config.data_tests ? "data_tests" : "tests";
  const folders = [...files.models, ...files.singularTests].map((f) => f.folder);
  for (const key of defaultEntries(testDefaultsOf(config), config.name).keys())
    if (key !== "" && !folders.some((folder) => folderEntryCovers(key, folder)))
      files.warnings.push({
        file,
        line: lineOf([block, key.split("/")[0] as string]),
        message: `${block}.${key} applies to no data test: nothing is in ${files.top}/${key}/`,
      });
}

/** The files under dir whose name `wanted` takes, in name order; hidden ones left out. */
function walk(dir: string, wanted: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (entry.name.startsWith(".")) continue;
    const abs = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(abs, wanted));
    else if (entry.isFile() && wanted(entry.name)) out.push(abs);
  }
  return out;
}
