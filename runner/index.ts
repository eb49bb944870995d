// The model runner's face: `ownstats run|test|build` (runProject), `compile` and `ls` (inspect.ts) and
// `ownstats query` (query).
import { join } from "node:path";
import { writeJson } from "./artifacts.ts";
import { foundLine, summaryLines } from "./console.ts";
import { emptySourceLines, loadSelection } from "./load.ts";
import { heldByAnotherProcess } from "./lock.ts";
import { execute, type Step } from "./run.ts";
import { buildRunResults, type NodeResult } from "./run-results.ts";
import { takeTurnsPerFolder } from "./turns.ts";
import { openWarehouse, type Warehouse } from "./warehouse.ts";

export type { Manifest } from "./artifacts.ts";
export { buildManifest, readManifest } from "./artifacts.ts";
export type { CompiledProject, ModelConfig, ModelNode } from "./compile.ts";
export { compileProject } from "./compile.ts";
export { compile, type ListOptions, list } from "./inspect.ts";
export { loadProject, loadSelection } from "./load.ts";
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
  fullRefresh: boolean;
  vars?: Record<string, unknown>;
  /** Where console lines go (the dev server captures them); console.log by default. */
  log?: (line: string) => void;
}

// One build at a time per data folder in this process: two overlapping runs would write the same
// tables from two transactions, and one of them would fail on the conflict.
const buildTurn = takeTurnsPerFolder();

export function runProject(step: Step, opts: RunnerOptions): Promise<number> {
  return buildTurn(opts.data, () => runOnce(step, opts));
}

async function runOnce(step: Step, opts: RunnerOptions): Promise<number> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const started = Date.now();
  const loaded = loadSelection(opts, log);
  if (!loaded) return 2;
  const { project, selected } = loaded;
  log(foundLine(project.models.size, project.tests.length, Object.keys(project.config.sources).length));
  for (const line of emptySourceLines(project, selected, opts.data)) log(line);
  log("");
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
      fullRefresh: opts.fullRefresh,
      selectedModels: selected,
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
    full_refresh: opts.fullRefresh,
    vars: opts.vars,
  });
  writeJson(target, "run_results.json", runResults);
  for (const l of summaryLines(results, elapsed)) log(l);
  if (interrupted) {
    log("Exited because of keyboard interrupt");
    return 130;
  }
  return results.some((r) => r.status === "error" || r.status === "fail") ? 1 : 0;
}
