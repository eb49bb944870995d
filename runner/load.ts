// Loading a project for a command: compile it (writing target/compiled and the manifest, no database
// needed) and resolve the command's selectors.
import { join, resolve } from "node:path";
import { buildManifest, type Manifest, writeJson } from "./artifacts.ts";
import { type CompiledProject, compileProject } from "./compile.ts";
import { writeCompiled } from "./compiled-files.ts";
import { projectErrorLines, projectWarningLines } from "./console.ts";
import { type IndirectSelection, SelectorError, selectNodes } from "./select.ts";
import { namedSelections, readSelectors } from "./select-definition.ts";
import { type StateFacts, selectionGraph, stateFacts } from "./select-graph.ts";
import { emptyRelation, fullSourceSql, listSourceFiles } from "./source.ts";
import { readStateManifest, StateError } from "./state-manifest.ts";
import { bindRangeStart, bindRefs, bindSources, bindWatermark } from "./template-marks.ts";

export interface LoadOptions {
  data: string;
  models: string;
  vars?: Record<string, unknown>;
  select?: string[];
  exclude?: string[];
  /** dbt's --state: a folder holding an earlier run's manifest.json, for `state:` selectors. */
  state?: string;
  /** dbt's --selector: a selection named in models/selectors.yml, in place of --select and --exclude. */
  selector?: string;
  /** dbt's --indirect-selection: which data tests come along with the chosen models (eager). */
  indirectSelection?: IndirectSelection;
  /** dbt's --empty: the compiled SQL reads every ref and source as no row, as the run does. */
  empty?: boolean;
  /**
   * The caller writes target/ itself (writeTarget) once it holds the warehouse: a build refused
   * because another one runs must not replace the running build's target/ with its own.
   */
  targetLater?: boolean;
  /** A command that uses no selection of its own (a bare compile) leaves the default selector unapplied and unannounced. */
  withoutDefaultSelector?: boolean;
}

/** Writes a compiled project's target/compiled and target/manifest.json. */
export function writeTarget(
  project: CompiledProject,
  manifest: Manifest,
  opts: Pick<LoadOptions, "data" | "empty">,
): void {
  const target = join(opts.data, "target");
  writeCompiled(project, target, (sql) => shownSql(project, opts.data, sql, opts.empty));
  writeJson(target, "manifest.json", manifest);
}

/**
 * A compiled query as target/compiled shows it: each source read in full as its files are now, or,
 * with --empty, each ref and source as a relation of no row, as dbt's compile --empty shows them.
 */
export function shownSql(project: CompiledProject, data: string, sql: string, empty = false): string {
  return bindSources(bindRefs(bindWatermark(bindRangeStart(sql)), empty), (name) => {
    const source = project.config.sources[name];
    if (!source) return name;
    return empty ? emptyRelation(source) : fullSourceSql(data, source);
  });
}

export interface Selection {
  project: CompiledProject;
  manifest: Manifest;
  selected: Set<string>;
  /** The selector of selectors.yml that chose them: --selector's, or the default one a bare command applies. */
  selector?: string;
}

/**
 * The compiled project and the models its selectors choose; undefined after printing the project's
 * errors or a bad selector (exit code 2). Warnings go to `warn` (`ls` keeps its output to the list).
 */
export function loadSelection(
  opts: LoadOptions,
  log: (line: string) => void,
  warn: (line: string) => void = log,
): Selection | undefined {
  if (opts.selector !== undefined && (opts.select?.length || opts.exclude?.length)) {
    log(
      `Usage error: --selector ${opts.selector} takes the place of --select and --exclude: give one or the other (or put the selection in selectors.yml)`,
    );
    return undefined;
  }
  // Read before this run writes its own: --state DATA/target names the manifest it replaces.
  let previous: Manifest | undefined;
  try {
    previous = opts.state === undefined ? undefined : readStateManifest(opts.state);
  } catch (error) {
    if (!(error instanceof StateError)) throw error;
    log(`Usage error: ${error.message}`);
    return undefined;
  }
  const project = compileProject(resolve(opts.models), { vars: opts.vars });
  for (const l of projectWarningLines(project.warnings)) warn(l);
  if (project.errors.length) {
    for (const l of projectErrorLines(project.errors)) log(l);
    return undefined;
  }
  const manifest = buildManifest(project);
  if (!opts.targetLater) writeTarget(project, manifest, opts);
  try {
    const state: StateFacts | undefined =
      previous && opts.state !== undefined ? stateFacts(project, manifest, previous, opts.state) : undefined;
    const nodes = selectionGraph(project, opts.data, state);
    const warning = (m: string) => warn(`[WARNING]: ${m}`);
    const file = readSelectors(project.modelsDir);
    const named = namedSelections(file, project.modelsDir, {
      nodes,
      warn: warning,
      disabled: project.disabled,
      sourceState: state?.sources,
      indirect: opts.indirectSelection,
    });
    // As dbt: a command given no --select, --exclude or --selector runs the default selector, if any.
    const selector =
      opts.selector ??
      (opts.select?.length || opts.exclude?.length || opts.withoutDefaultSelector
        ? undefined
        : file?.defaultName);
    if (selector !== undefined && opts.selector === undefined)
      warn(
        `Using the default selector "${selector}" of ${file?.display} (default: true); --select, --exclude or --selector choose otherwise`,
      );
    const selected =
      selector === undefined
        ? selectNodes(nodes, opts.select, opts.exclude, warning, project.disabled, {
            sourceState: state?.sources,
            indirect: opts.indirectSelection,
            named: (name) => named(name, `selector:${name}`),
          })
        : named(selector, `--selector ${selector}`);
    if (selected.size === 0 && project.models.size > 0)
      warn("[WARNING]: Nothing to do. Try checking your model configs and model specification args");
    return {
      project,
      manifest,
      selected,
      ...(selector === undefined ? {} : { selector }),
    };
  } catch (error) {
    if (!(error instanceof SelectorError)) throw error;
    log(`Selection error: ${error.message}`);
    return undefined;
  }
}

/**
 * A warning for each source that a selected model reads and that has no files yet: the models are
 * built empty, which is right on a fresh install and a surprise when --data names the wrong folder.
 */
export function emptySourceLines(project: CompiledProject, selected: Set<string>, data: string): string[] {
  const read = new Set([...selected].flatMap((name) => project.models.get(name)?.sources ?? []));
  return [...read].flatMap((name) => {
    const source = project.config.sources[name];
    if (!source || listSourceFiles(data, source, undefined, 1).length > 0) return [];
    return [
      `[WARNING]: source "${name}" has no files under ${resolve(data, source.path)} yet, so the models that read it are built empty`,
    ];
  });
}
