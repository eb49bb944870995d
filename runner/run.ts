// Runs the selected nodes in DAG order: models (run), tests (test), or both interleaved (build).
// A failed model marks its descendants SKIP, and so, in build, does a failed error-severity test the
// models that read everything it reads.
import { join } from "node:path";
import type { CompiledProject, ModelNode } from "./compile.ts";
import { compiledPath, compiledTestPath } from "./compiled-files.ts";
import { line, plural, seconds } from "./console.ts";
import { modelId, testId } from "./manifest-nodes.ts";
import { materialize } from "./materialize.ts";
import { plan } from "./plan.ts";
import type { NodeResult, NodeStatus } from "./run-results.ts";
import { pruneRunSql, writeRunSql } from "./run-sql.ts";
import { staleParentView } from "./stale-view.ts";
import { refsQualifyingColumns } from "./template-marks.ts";
import { countFailures, failuresRelation } from "./test-failures.ts";
import type { DataTest } from "./tests.ts";
import { anyFailure, testStatus } from "./thresholds.ts";
import { ModelError } from "./transaction.ts";
import { type Unbuilt, unbuiltParentsHint } from "./unbuilt-parents.ts";
import type { Warehouse } from "./warehouse.ts";

export type Step = "build" | "run" | "test";

export interface ExecuteOptions {
  step: Step;
  data: string;
  target: string;
  fullRefresh: boolean;
  /** dbt's --empty: every ref and source of a model or a test reads no row. */
  empty?: boolean;
  selectedModels: Set<string>;
  log: (line: string) => void;
  /** Whether the run was interrupted (Ctrl-C): what has not started yet is skipped. */
  interrupted?: () => boolean;
  /** dbt's --fail-fast (-x): after the first model error or test failure, what has not started is skipped. */
  failFast?: boolean;
  /** Selected models that read models the selection left out and the warehouse lacks, with those. */
  unbuiltParents?: Map<string, Unbuilt>;
}

export async function execute(
  wh: Warehouse,
  project: CompiledProject,
  opts: ExecuteOptions,
): Promise<NodeResult[]> {
  const items = plan(project, opts.step, opts.selectedModels);
  pruneRunSql(opts.target, project);
  const total = items.length;
  const results: NodeResult[] = [];
  // Models whose descendants must not run: failed or skipped.
  const blocked = new Set<string>();
  // In build, each model a failed error-severity test gates (one reading all the test reads), and that test.
  const failedGate = new Map<string, string>();
  const skipCause = (m: ModelNode) => {
    const parent = m.parents.find((p) => blocked.has(p));
    if (parent) return `upstream ${parent} did not build`;
    const test = failedGate.get(m.name);
    return test === undefined ? undefined : `upstream test ${test} failed`;
  };
  // Models that are not there to test: failed or skipped. A model that failed one test is still
  // tested by its others, as dbt does: one failure does not hide what the other tests would find.
  const unbuilt = new Set<string>();
  const unbuiltOf = (parents: string[]) => parents.find((p) => unbuilt.has(p));
  // Only `build` holds back the models a failed test gates: `test` builds no model but the
  // ephemeral ones its tests read, and each test there stands on its own, as in dbt.
  const holdBack = (t: DataTest, gates: string[]) => {
    if (opts.step === "build") for (const m of gates) if (!failedGate.has(m)) failedGate.set(m, t.name);
  };
  for (const [i, item] of items.entries()) {
    const index = i + 1;
    const failed = opts.failFast
      ? results.find((r) => r.status === "error" || r.status === "fail")
      : undefined;
    if (opts.interrupted?.() || failed) {
      const why = failed
        ? `skipped: --fail-fast stopped the run after ${failed.name} failed`
        : "skipped: the run was interrupted";
      if (failed) opts.log(`Failing early (--fail-fast): ${failed.resource_type} ${failed.name} failed`);
      for (const rest of items.slice(i))
        results.push(
          rest.kind === "model"
            ? modelResult(project, rest.model, "skipped", new Date(), 0, why)
            : testResult(project, rest.test, "skipped", new Date(), 0, null, why),
        );
      break;
    }
    if (item.kind === "model") {
      const m = item.model;
      const description = `sql ${m.config.materialized} model ${m.relation.replace(/"/g, "")}`;
      const cause = skipCause(m);
      if (cause) {
        blocked.add(m.name);
        unbuilt.add(m.name);
        opts.log(line(index, total, `SKIP relation ${m.relation.replace(/"/g, "")}`, "SKIP"));
        results.push(modelResult(project, m, "skipped", new Date(), 0, `skipped: ${cause}`));
        continue;
      }
      opts.log(line(index, total, `START ${description}`, "RUN"));
      const started = new Date();
      let ran = false;
      try {
        const build = await materialize(wh, m, {
          data: opts.data,
          project,
          fullRefresh: opts.fullRefresh,
          empty: opts.empty,
          onSql: (sql) => {
            ran = true;
            writeRunSql(opts.target, m.file, sql);
          },
        });
        const elapsed = (Date.now() - started.getTime()) / 1000;
        if (build.rebuilt) opts.log(`${m.name} was rebuilt in full: ${build.rebuilt}`);
        if (build.warning) opts.log(`[WARNING]: ${m.name}: ${build.warning}`);
        opts.log(line(index, total, `OK created ${description}`, `OK in ${seconds(elapsed)}`));
        const r = modelResult(
          project,
          m,
          "success",
          started,
          elapsed,
          build.mode === "incremental"
            ? `merged ${build.rowsAffected ?? 0} rows`
            : build.rebuilt
              ? `rebuilt in full: ${build.rebuilt}`
              : "OK",
        );
        r.adapter_response = {
          rows_affected: build.rowsAffected,
          files_read: build.filesRead,
          mode: build.mode,
          read_since: build.readSince,
        };
        results.push(r);
      } catch (error) {
        blocked.add(m.name);
        unbuilt.add(m.name);
        const elapsed = (Date.now() - started.getTime()) / 1000;
        opts.log(line(index, total, `ERROR creating ${description}`, `ERROR in ${seconds(elapsed)}`));
        const lacking = opts.unbuiltParents?.get(m.name);
        const hint = lacking
          ? `\n${unbuiltParentsHint(m.name, lacking)}`
          : opts.empty
            ? emptyRefHint(m.full.sql)
            : "";
        // Its line would count in the view's query: the view is what to build again.
        const stale = opts.interrupted?.() ? undefined : await staleParentView(wh, project, m);
        const message = stale
          ? `the view "${stale.name}" it reads no longer works with what it reads (build it again: ownstats run --select ${stale.name}): ${stale.reason}`
          : (error as Error).message;
        const r = modelResult(project, m, "error", started, elapsed, `${message}${hint}`);
        r.ran = ran;
        if (!stale && error instanceof ModelError && error.line) located(r, error);
        results.push(r);
      }
      continue;
    }
    const t = item.test;
    const cause = unbuiltOf(t.parents);
    if (cause && opts.step === "build") {
      opts.log(line(index, total, `SKIP test ${t.name}`, "SKIP"));
      results.push(testResult(project, t, "skipped", new Date(), 0, null, `skipped: ${cause} did not build`));
      continue;
    }
    opts.log(line(index, total, `START test ${t.name}`, "RUN"));
    const started = new Date();
    try {
      const failures = await countFailures(wh, t, opts.data, project, opts.empty);
      const elapsed = (Date.now() - started.getTime()) / 1000;
      const status: NodeStatus = testStatus(failures, t);
      const label = status === "pass" ? "PASS" : `${status.toUpperCase()} ${failures}`;
      opts.log(line(index, total, `${label} ${t.name}`, `${label} in ${seconds(elapsed)}`));
      // dbt's words, which run_results.json and the summary give alike.
      const condition = (status === "warn" ? t.warnIf : t.errorIf) ?? anyFailure;
      const message = `Got ${plural(failures, "result")}, configured to ${status} if ${condition}`;
      const r = testResult(
        project,
        t,
        status,
        started,
        elapsed,
        failures,
        status === "pass" ? null : message,
      );
      results.push(r);
      if (status === "fail") holdBack(t, item.gates);
    } catch (error) {
      const elapsed = (Date.now() - started.getTime()) / 1000;
      opts.log(line(index, total, `ERROR ${t.name}`, `ERROR in ${seconds(elapsed)}`));
      const r = testResult(project, t, "error", started, elapsed, null, (error as Error).message);
      if (error instanceof ModelError && error.line) located(r, error);
      results.push(r);
      holdBack(t, item.gates);
    }
  }
  return results;
}

/** The line of its file an error points to, and the macro's when a macro wrote that line. */
function located(r: NodeResult, error: ModelError): void {
  r.line = error.line;
  if (error.macroLines) r.macroLines = error.macroLines;
}

/** Under --empty, why `{{ref "x"}}.col` fails ("Subquery returns 2 columns"), and what to write. */
function emptyRefHint(sql: string): string {
  const [model] = refsQualifyingColumns(sql);
  if (model === undefined) return "";
  return `\nWith --empty each {{ref}} reads as a subquery without a name, as in dbt, so a column qualified by the ref ({{ref "${model}"}}.col) names nothing: give the ref an alias (from {{ref "${model}"}} as ${model}) and qualify with that`;
}

function base(started: Date, elapsed: number) {
  return {
    timing: [
      {
        name: "execute" as const,
        started_at: started.toISOString(),
        completed_at: new Date(started.getTime() + elapsed * 1000).toISOString(),
      },
    ],
    thread_id: "Thread-1",
    execution_time: elapsed,
  };
}

function modelResult(
  project: CompiledProject,
  m: ModelNode,
  status: NodeStatus,
  started: Date,
  elapsed: number,
  message: string,
): NodeResult {
  return {
    unique_id: modelId(project.name, m.name),
    name: m.name,
    resource_type: "model",
    materialized: m.config.materialized,
    status,
    ...base(started, elapsed),
    message,
    failures: null,
    adapter_response: {},
    // As in the manifest: an ephemeral model leaves no relation.
    relation_name: m.config.materialized === "ephemeral" ? null : m.relation,
    original_file_path: m.file,
    compiled_path: join("target", "compiled", compiledPath(m)),
  };
}

function testResult(
  project: CompiledProject,
  t: DataTest,
  status: NodeStatus,
  started: Date,
  elapsed: number,
  failures: number | null,
  message: string | null,
): NodeResult {
  return {
    unique_id: testId(project.name, t),
    name: t.name,
    resource_type: "test",
    status,
    ...base(started, elapsed),
    message,
    failures,
    adapter_response: {},
    // As dbt's: where a test with store_failures keeps its failing rows.
    relation_name: failuresRelation(t) ?? null,
    original_file_path: t.file,
    line: t.line,
    compiled_path: join("target", "compiled", compiledTestPath(t)),
  };
}
