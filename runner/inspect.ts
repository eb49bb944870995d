// `ownstats compile` and `ownstats ls`, as dbt's: what a project compiles to and what a selector
// picks, without opening the warehouse.
import { join } from "node:path";
import type { CompiledProject } from "./compile.ts";
import { type LoadOptions, loadSelection, shownSql } from "./load.ts";
import { type ManifestNode, modelNode, testNode } from "./manifest-nodes.ts";
import { plan } from "./plan.ts";

interface Inspect extends LoadOptions {
  /** Where lines go; console.log by default. */
  log?: (line: string) => void;
}

/**
 * Compiles every model and data test into DATA/target/compiled/ (and manifest.json). With --select,
 * it prints the compiled SQL of the selected models, as `dbt compile -s` does, or of the selected
 * data tests when no model is selected. Exit 0 or 2.
 */
export function compile(opts: Inspect): number {
  const log = opts.log ?? ((line: string) => console.log(line));
  // Without --select every node is compiled and none is shown: a default selector would choose nothing.
  const loaded = loadSelection({ ...opts, withoutDefaultSelector: !opts.select?.length }, log);
  if (!loaded) return 2;
  const { project, selected } = loaded;
  const { models, tests } = project;
  const incremental = [...models.values()].filter((m) => m.incremental).length;
  // With --empty the files written are not the queries a run executes: the line says so, as build's does.
  const how = opts.empty ? " with --empty (every ref and source reads no row; nothing is built)" : "";
  log(
    `Compiled ${models.size} models (${incremental} with an incremental query) and ${tests.length} data tests${how} into ${join(opts.data, "target", "compiled")}`,
  );
  if (!opts.select?.length) return 0;
  const nodes = selectedPlan(project, selected);
  const anyModel = nodes.some((item) => item.kind === "model");
  const show = (node: string, sql: string, which = "") =>
    log(
      `\nCompiled node '${node}'${which} is:\n${shownSql(project, opts.data, sql, opts.empty)
        .replace(/^\s*\n/, "")
        .trimEnd()}`,
    );
  for (const item of nodes) {
    if (item.kind === "test") {
      if (!anyModel) show(item.test.name, item.test.sql);
      continue;
    }
    show(item.model.name, item.model.full.sql);
    if (item.model.incremental) show(item.model.name, item.model.incremental.sql, " (its incremental query)");
  }
  return 0;
}

/**
 * What the selection picks, in build order: without the ephemeral models a build makes along for
 * them, which the selection left out (as dbt's ls and compile -s list only the selected nodes).
 */
function selectedPlan(project: CompiledProject, selected: Set<string>) {
  return plan(project, "build", selected).filter(
    (item) => item.kind !== "model" || selected.has(item.model.name),
  );
}

export interface ListOptions extends Inspect {
  /** name: one per line; path: the files; json: one object per line. @default "name" */
  output?: "name" | "path" | "json";
  /** dbt's --output-keys: which keys each JSON line holds (all of dbt ls's by default). */
  outputKeys?: string[];
  /** Which nodes: models, data tests or both (the union of those given, as dbt's). @default ["all"] */
  resourceType?: ("model" | "test" | "all")[];
  /**
   * Where errors and warnings go; stderr by default, so that what a script reads from `ls` is the
   * list alone (`for m in $(ownstats ls)` must not loop over the words of an error).
   */
  errorLog?: (line: string) => void;
}

/** Prints the selected models and their data tests in the order `build` would run them. Exit 0 or 2. */
export function list(opts: ListOptions): number {
  const log = opts.log ?? ((line: string) => console.log(line));
  const errorLog = opts.errorLog ?? ((line: string) => console.error(line));
  // As dbt's, one argument may hold several keys: --output-keys "name unique_id".
  const outputKeys = opts.outputKeys?.flatMap((keys) => keys.split(/[\s,]+/)).filter(Boolean);
  const unknownKey = outputKeys?.find((key) => !lsKeyNames.includes(key));
  if (unknownKey) {
    errorLog(`--output-keys: no key "${unknownKey}" (a node has: ${lsKeyNames.join(", ")})`);
    return 2;
  }
  if (outputKeys && opts.output !== "json") {
    errorLog("--output-keys chooses the keys of --output json: give that too");
    return 2;
  }
  const loaded = loadSelection(opts, errorLog, errorLog);
  if (!loaded) return 2;
  const kinds = opts.resourceType ?? ["all"];
  const { project } = loaded;
  for (const item of selectedPlan(project, loaded.selected)) {
    if (!kinds.includes("all") && !kinds.includes(item.kind)) continue;
    const node =
      item.kind === "model"
        ? { ...lsKeys(modelNode(project, item.model)), materialized: item.model.config.materialized }
        : { ...lsKeys(testNode(project, item.test)), severity: item.test.severity };
    const keys = outputKeys;
    if (opts.output === "json")
      log(
        JSON.stringify(keys ? Object.fromEntries(keys.map((k) => [k, node[k as keyof typeof node]])) : node),
      );
    else log(opts.output === "path" ? node.original_file_path : node.name);
  }
  return 0;
}

/**
 * A node as `dbt ls --output json` prints it (its default keys), for scripts written for dbt; `file`
 * stays beside original_file_path for the scripts written for this list before.
 */
function lsKeys(node: ManifestNode) {
  return {
    name: node.name,
    resource_type: node.resource_type,
    package_name: node.package_name,
    original_file_path: node.original_file_path,
    unique_id: node.unique_id,
    alias: node.alias,
    config: node.config,
    tags: node.tags,
    depends_on: node.depends_on,
    file: node.original_file_path,
  };
}

// The keys lsKeys gives any node (read off an empty one, so that the two lists cannot drift apart).
const lsKeyNames = [...Object.keys(lsKeys({} as ManifestNode)), "materialized", "severity"];
