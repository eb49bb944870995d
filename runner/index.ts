// The model runner's face: `ownstats run|test|build` (runProject), `compile` and `ls` (inspect.ts) and
// `ownstats query` (query).
import { join } from "node:path";
import { writeJson } from "./artifacts.ts";
import type { CompiledProject } from "./compile.ts";
import { foundLine, projectErrorLines, summaryLines } from "./console.ts";
import {
  clearFullRefreshMark,
  type FullRefreshMark,
  fullRefreshMarkPath,
  readFullRefreshMark,
} from "./full-refresh-mark.ts";
import { emptySourceLines, loadSelection, type Selection, writeTarget } from "./load.ts";
import { heldByAnotherProcess } from "./lock.ts";
import { execute, type Step } from "./run.ts";
import { buildRunResults, type NodeResult } from "./run-results.ts";
import type { IndirectSelection } from "./select-indirect.ts";
import { sourceTypeErrors } from "./source-types.ts";
import { takeTurnsPerFolder } from "./turns.ts";
import {
  staleSourceViews,
  staleViewWarning,
  type Unbuilt,
  unbuiltParents,
  withUnbuiltParents,
} from "./unbuilt-parents.ts";
import { openWarehouse, type Warehouse } from "./warehouse.ts";

export type { Manifest } from "./artifacts.ts";
export { buildManifest, readManifest } from "./artifacts.ts";
export type { CompiledProject, ModelConfig, ModelNode } from "./compile.ts";
export { compileProject } from "./compile.ts";
export { compile, type ListOptions, list } from "./inspect.ts";
export { loadSelection } from "./load.ts";
export type { ManifestNode } from "./manifest-nodes.ts";
export type { ProjectError } from "./project.ts";
export { type QueryOptions, query } from "./query.ts";
export type { NodeResult, NodeStatus, RunResults } from "./run-results.ts";
export { readRunResults } from "./run-results.ts";
export type { DataTest } from "./tests.ts";
export { type InTurn, takeTurnsPerFolder } from "./turns.ts";

export interface RunnerOptions {
  data: string;
  models: string;
  select?: string[];
  exclude?: string[];
  /** dbt's --state: a folder holding an earlier run's manifest.json, for `state:` selectors. */
  state?: string;
  /** dbt's --selector: a selection named in models/selectors.yml. */
  selector?: string;
  /** dbt's --indirect-selection: which data tests come along with the chosen models (eager). */
  indirectSelection?: IndirectSelection;
  fullRefresh: boolean;
  /**
   * dbt's --empty (run, build): every model is built from refs and sources that read no row, so its
   * SQL and columns are checked in seconds; its tests run with their refs and sources reading no row too.
   */
  empty?: boolean;
  /** dbt's --store-failures: every test that runs keeps its failing rows, unless its config says otherwise. */
  storeFailures?: boolean;
  /** dbt's --fail-fast (-x): stop at the first model error or test failure. */
  failFast?: boolean;
  /** dbt's --threads, taken so that a dbt command line runs: one connection builds one node at a time. */
  threads?: number;
  vars?: Record<string, unknown>;
  /** Where console lines go (the dev server captures them); console.log by default. */
  log?: (line: string) => void;
}

// One build at a time per data folder in this process: two overlapping runs would write the same
// tables from two transactions, and one of them would fail on the conflict.
const buildTurn = takeTurnsPerFolder();

/**
 * Whether sync or demo --add left DATA/needs-full-refresh, and whether this run reads it: only a whole run rebuilds
 * every incremental model, so a selection leaves the mark for the next whole one and says so.
 */
function fullRefreshNeeded(
  opts: RunnerOptions & { selector?: string },
  log: (line: string) => void,
): { scope: "whole" | "selection"; seen: FullRefreshMark } | undefined {
  const mark = readFullRefreshMark(opts.data);
  if (!mark) return undefined;
  const reason =
    mark.reason ??
    `events${mark.hour ? ` from ${mark.hour.toISOString()} on` : ""} landed in raw/ after the incremental models had read past them`;
  const what = `${reason} (${fullRefreshMarkPath(opts.data)})`;
  if (opts.select?.length || opts.exclude?.length || opts.selector !== undefined || opts.empty) {
    const which = opts.empty ? "a run with --empty" : "a selection";
    log(
      `Note: ${what}; ${which} does not build in full: a whole \`ownstats build\` does, and removes the file`,
    );
    return { scope: "selection", seen: mark };
  }
  if (!opts.fullRefresh) log(`Building in full (--full-refresh): ${what}`);
  return { scope: "whole", seen: mark };
}

/** As dbt's --store-failures: a test whose config says neither store_failures nor store_failures_as keeps its failures in a table. */
function storingFailures(project: CompiledProject): CompiledProject {
  const tests = project.tests.map((test) =>
    test.storeFailuresWritten ? test : { ...test, storeFailuresAs: "table" as const },
  );
  return { ...project, tests };
}

/**
 * What a run builds, where the selection leaves out models its models read that were never built:
 * the default selector's gets them built along (saying so); another keeps them out, and its models
 * that read them say so when they fail.
 */
async function unbuiltAncestors(
  wh: Warehouse,
  project: CompiledProject,
  loaded: Selection,
  step: Step,
  opts: RunnerOptions,
  log: (line: string) => void,
): Promise<{ selectedModels: Set<string>; unbuilt?: Map<string, Unbuilt> }> {
  const { selected, selector } = loaded;
  // `test` builds no model, and --empty's refs still read the relations, so it is no different.
  if (step === "test") return { selectedModels: selected };
  const stale = await staleSourceViews(wh, project, opts.data);
  if (selector === undefined || opts.selector !== undefined) {
    const unbuilt = new Map<string, Unbuilt>();
    for (const [name, { parents, neededBy }] of await unbuiltParents(wh, project, selected, false, stale)) {
      // A view built before its source had a file reads no row, and no model fails for it: say so.
      for (const view of parents.filter((p) => stale.has(p))) log(staleViewWarning(view, neededBy));
      const missing = parents.filter((p) => !stale.has(p));
      if (missing.length) unbuilt.set(name, { parents: missing, neededBy });
    }
    return { selectedModels: selected, unbuilt };
  }
  const widened = await withUnbuiltParents(wh, project, selected, selector, step === "build", stale);
  for (const line of widened.lines) log(line);
  return { selectedModels: widened.selected };
}

export function runProject(step: Step, opts: RunnerOptions): Promise<number> {
  return buildTurn(opts.data, () => runOnce(step, opts));
}

async function runOnce(step: Step, opts: RunnerOptions): Promise<number> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const started = Date.now();
  const loaded = loadSelection({ ...opts, targetLater: true }, log);
  if (!loaded) return 2;
  const { selected } = loaded;
  // The selector applied, --selector's or the default one of selectors.yml: either way a selection.
  const selector = loaded.selector;
  const project = opts.storeFailures ? storingFailures(loaded.project) : loaded.project;
  log(foundLine(project.models.size, project.tests.length, Object.keys(project.config.sources).length));
  if (opts.threads && opts.threads > 1)
    log(
      `Concurrency: 1 thread (--threads ${opts.threads}: the warehouse's one connection runs one node at a time)`,
    );
  if (opts.empty)
    log(
      "Building with --empty: every ref and source reads no row (tables and views are left empty, but an incremental table keeps the rows it held; the next run builds them, an empty incremental one in full)",
    );
  else for (const line of emptySourceLines(project, selected, opts.data)) log(line);
  const marked = step === "test" ? undefined : fullRefreshNeeded({ ...opts, selector }, log);
  const fullRefresh = opts.fullRefresh || marked?.scope === "whole";
  const target = join(opts.data, "target");
  let wh: Warehouse;
  try {
    wh = await openWarehouse(opts.data);
  } catch (error) {
    if (!(error instanceof Error) || !heldByAnotherProcess(error.message)) throw error;
    // DuckDB's own words stay in the line: the dev server tells a busy warehouse by them.
    log(
      `Cannot build: another process has the warehouse open (a running \`ownstats dev\` builds the models itself: stop it, or wait for the other command). ${error.message}`,
    );
    return 1;
  }
  try {
    writeTarget(project, loaded.manifest, opts);
  } catch (error) {
    wh.close();
    throw error;
  }
  const typeErrors = await sourceTypeErrors(wh, project.sourceTypes);
  if (typeErrors.length) {
    for (const l of projectErrorLines(typeErrors)) log(l);
    wh.close();
    return 2;
  }
  const { selectedModels, unbuilt } = await unbuiltAncestors(wh, project, loaded, step, opts, log);
  log("");
  let results: NodeResult[] = [];
  // Ctrl-C cancels the running query (its transaction rolls back) and skips the rest, so that the
  // summary and run_results.json say what was built; a second Ctrl-C quits at once. Only when nothing
  // else in the process handles SIGINT: the dev server stops its builds itself.
  let interrupted = false;
  let cancelling: NodeJS.Timeout | undefined;
  const onInterrupt = () => {
    interrupted = true;
    log("Interrupted: cancelling the running query (Ctrl-C again quits at once)");
    // DuckDB cancels only a query that is running: the signal may come between two statements.
    wh.connection.interrupt();
    cancelling = setInterval(() => wh.connection.interrupt(), 50);
  };
  const interruptible = process.listenerCount("SIGINT") === 0;
  if (interruptible) process.once("SIGINT", onInterrupt);
  try {
    results = await execute(wh, project, {
      step,
      data: opts.data,
      target,
      fullRefresh,
      empty: opts.empty,
      failFast: opts.failFast,
      selectedModels,
      unbuiltParents: unbuilt,
      log,
      interrupted: () => interrupted,
    });
  } finally {
    if (interruptible) process.off("SIGINT", onInterrupt);
    clearInterval(cancelling);
    wh.close();
  }
  const elapsed = (Date.now() - started) / 1000;
  const runResults = buildRunResults(opts.data, results, elapsed, {
    which: step,
    select: opts.select,
    exclude: opts.exclude,
    ...(selector === undefined ? {} : { selector }),
    ...(opts.indirectSelection === undefined ? {} : { indirect_selection: opts.indirectSelection }),
    ...(opts.state === undefined ? {} : { state: opts.state }),
    full_refresh: fullRefresh,
    ...(opts.empty ? { empty: true } : {}),
    ...(opts.storeFailures ? { store_failures: true } : {}),
    ...(opts.failFast ? { fail_fast: true } : {}),
    vars: opts.vars,
  });
  // Printed first: on a full disk the artifact fails after the models did, and the summary says why they did.
  for (const l of summaryLines(results, elapsed, interrupted)) log(l);
  writeJson(target, "run_results.json", runResults);
  if (interrupted) {
    log("Exited because of keyboard interrupt");
    return 130;
  }
  if (marked?.scope === "whole" && results.every((r) => r.status !== "error" && r.status !== "skipped"))
    clearFullRefreshMark(opts.data, marked.seen);
  return results.some((r) => r.status === "error" || r.status === "fail") ? 1 : 0;
}
