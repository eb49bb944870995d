// The order of a run: the selected models in DAG order, and for test and build the selected data
// tests, each as early as it can run and before the models that read everything it tests.
import { type CompiledProject, graphOf, type ModelNode } from "./compile.ts";
import { closure, testKey, topoOrder } from "./graph.ts";
import type { Step } from "./run.ts";
import type { DataTest } from "./tests.ts";

export type Planned =
  | { kind: "model"; model: ModelNode }
  /** gates: the planned models that wait for the test, which build skips when it fails. */
  | { kind: "test"; test: DataTest; gates: string[] };

export function plan(project: CompiledProject, step: Step, selected: Set<string>): Planned[] {
  const isEphemeral = (name: string) => project.models.get(name)?.config.materialized === "ephemeral";
  // The ephemeral models that the selected ones (or their tests) read are built whatever the selection:
  // they exist only for the run, as dbt inlines them. `test` builds no model, so only those its tests read.
  const needed = new Set(step === "test" ? [] : selected);
  const parentsOf = (name: string) => project.models.get(name)?.parents ?? [];
  const needEphemeral = (name: string) => {
    if (!isEphemeral(name) || needed.has(name)) return;
    needed.add(name);
    for (const parent of parentsOf(name)) needEphemeral(parent);
  };
  if (step !== "test")
    for (const name of selected) for (const parent of parentsOf(name)) needEphemeral(parent);
  const tests = step === "run" ? [] : project.tests.filter((test) => selected.has(testKey(test.name)));
  for (const test of tests) for (const parent of test.parents) needEphemeral(parent);
  const order = topoOrder(graphOf(project)).filter((n) => needed.has(n));
  const models = (step === "test" ? order.filter(isEphemeral) : order).map(
    (name) => project.models.get(name) as ModelNode,
  );
  const ancestors = new Map<string, Set<string>>();
  const ancestorsOf = (name: string) => {
    let found = ancestors.get(name);
    if (!found) ancestors.set(name, (found = closure(name, parentsOf)));
    return found;
  };
  return interleave(models, tests, ancestorsOf);
}

/**
 * Orders models and tests together. A test runs as early as it can: right after the last model it
 * reads (a test that reads no model, first). As dbt's build, a test gates a model that reads, at any
 * depth, every model the test reads: the model waits for it, so that an error-severity failure skips
 * it. A model outside the test's lineage (one reading only some of what a test of two models reads,
 * or the readers of a model whose relationships test points at a model they do not read) does not.
 * A test gates only models downstream of all it reads, so no gate can close a loop.
 */
function interleave(
  models: ModelNode[],
  tests: DataTest[],
  ancestorsOf: (name: string) => Set<string>,
): Planned[] {
  interface Entry {
    key: string;
    rank: number;
    item: Planned;
    /** Nodes that must be done first: the models read, and the tests that gate a model. */
    after: Set<string>;
  }
  const byName = new Map(models.map((m) => [m.name, m]));
  const rank = new Map(models.map((m, i) => [m.name, i]));
  const entries = new Map<string, Entry>(
    models.map((model) => [
      model.name,
      {
        key: model.name,
        rank: rank.get(model.name) as number,
        item: { kind: "model", model },
        after: new Set(model.parents.filter((p) => byName.has(p))),
      },
    ]),
  );
  for (const test of tests) {
    // A space never appears in a model's name, so a test's key cannot clash with one.
    const key = `test ${test.name}`;
    const parents = test.parents.filter((p) => byName.has(p));
    const gates = test.parents.length
      ? models.filter((m) => test.parents.every((p) => ancestorsOf(m.name).has(p))).map((m) => m.name)
      : [];
    entries.set(key, {
      key,
      rank: Math.max(-1, ...parents.map((p) => rank.get(p) as number)) + 0.5,
      item: { kind: "test", test, gates },
      after: new Set(parents),
    });
    for (const gated of gates) entries.get(gated)?.after.add(key);
  }
  // Always the ready entry of lowest rank.
  const done = new Set<string>();
  const out: Planned[] = [];
  const waiting = [...entries.values()];
  while (out.length < waiting.length) {
    const next = waiting
      .filter((e) => !done.has(e.key) && [...e.after].every((key) => done.has(key)))
      .reduce<Entry | undefined>((best, e) => (best && best.rank <= e.rank ? best : e), undefined);
    if (!next) throw new Error("the models and tests to run wait on each other in a loop");
    done.add(next.key);
    out.push(next.item);
  }
  return out;
}
