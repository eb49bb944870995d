// What --select and --exclude choose from: the models and, keyed by testKey, the data tests, with the
// facts dbt's selector methods read (fqn, config, test type, the last run's status).
import { join } from "node:path";
import { type Manifest, readJson } from "./artifacts.ts";
import { type CompiledProject, graphOf } from "./compile.ts";
import { type GraphNode, testKey } from "./graph.ts";
import { fqn, modelId, sourceId, testId } from "./manifest-nodes.ts";
import { type RunResults, readRunResults } from "./run-results.ts";
import { nodeChanges, type StateChange, sourceChanges } from "./state-compare.ts";

/** How this project's nodes and sources differ from the --state manifest's, for `state:`. */
export interface StateFacts {
  node: (id: string) => StateChange[];
  /** The --state folder's run_results.json, which `result:` reads then, as dbt's. */
  runResults: RunResults | undefined;
  /** By source name: `state:` reaches sources too, so that `state:modified+` takes what reads one. */
  sources: Map<string, StateChange[]>;
}

/** `current` is this project's manifest (buildManifest), `previous` the one in the --state `folder`. */
export function stateFacts(
  project: CompiledProject,
  current: Manifest,
  previous: Manifest,
  folder: string,
): StateFacts {
  const sources = Object.keys(project.config.sources).map((name): [string, StateChange[]] => [
    name,
    sourceChanges(current, previous, sourceId(project.name, name)),
  ]);
  return {
    node: (id) => nodeChanges(current, previous, id),
    runResults: readJson<RunResults>(join(folder, "run_results.json")),
    sources: new Map(sources),
  };
}

export function selectionGraph(
  project: CompiledProject,
  data: string,
  state?: StateFacts,
): Map<string, GraphNode> {
  const stateOf = (id: string) => state?.node(id);
  const graph = graphOf(project);
  // As dbt's, the --state folder's; without one, the data folder's own, written by the last run.
  const lastRun = state ? state.runResults : readRunResults(data);
  const lastStatus = new Map((lastRun?.results ?? []).map((r) => [r.unique_id, r.status]));
  for (const node of graph.values()) {
    const model = project.models.get(node.name);
    if (!model) continue;
    node.fqn = fqn(project.name, model.file, model.name);
    node.result = lastStatus.get(modelId(project.name, model.name));
    node.state = stateOf(modelId(project.name, model.name));
    // As in dbt, a model that is not incremental has no incremental_strategy to select it by.
    const { incremental_strategy, ...config } = model.config;
    node.config = config.materialized === "incremental" ? { ...config, incremental_strategy } : config;
  }
  for (const test of project.tests)
    graph.set(testKey(test.name), {
      name: test.name,
      parents: test.parents,
      tags: test.tags ?? [],
      file: test.file,
      sources: test.sources,
      test: true,
      testType: test.kind === "singular" ? "singular" : "generic",
      ...(test.kind === "singular" ? {} : { testName: test.kind }),
      fqn: fqn(project.name, test.file, test.name),
      config: { severity: test.severity },
      result: lastStatus.get(testId(project.name, test)),
      state: stateOf(testId(project.name, test)),
    });
  return graph;
}
