// The order of a run: the selected models in DAG order, and for test and build the selected data
// tests, each as early as it can run and before the models that read what it tests.
import { type CompiledProject, graphOf, type ModelNode } from "./compile.ts";
import { closure, testKey, topoOrder } from "./graph.ts";
import type { Step } from "./run.ts";
import type { DataTest } from "./tests.ts";

export type Planned = { kind: "model"; model: ModelNode } | { kind: "test"; test: DataTest };

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
  return interleave(models, tests);
}

/**
 * Orders models and tests together. A test runs as early as it can: right after the last model it
 * reads (a test that reads no model, first). A model that reads a tested model waits for the test,
 * so that an error-severity failure skips it, unless the test itself needs that model built (a
 * relationships test pointing at a descendant), where waiting would never end.
 */
function interleave(models: ModelNode[], tests: DataTest[]): Planned[] {
  interface Entry {
    key: string;
    rank: number;
    item: Planned;
    /** Nodes that must be done first: the models read. */
    after: Set<string>;
    /** Tests of the models read. */
    tests: Set<string>;
  }
  const byName = new Map(models.map((m) => [m.name, m]));
  const rank = new Map(models.map((m, i) => [m.name, i]));
  const entries: Entry[] = models.map((model) => ({
    key: model.name,
    rank: rank.get(model.name) as number,
    item: { kind: "model", model },
    after: new Set(model.parents.filter((p) => byName.has(p))),
    tests: new Set(),
  }));
  const parentsOf = (name: string) => byName.get(name)?.parents ?? [];
  for (const test of tests) {
    // A space never appears in a model's name, so a test's key cannot clash with one.
    const key = `test ${test.name}`;
    const parents = test.parents.filter((p) => byName.has(p));
    entries.push({
      key,
      rank: Math.max(-1, ...parents.map((p) => rank.get(p) as number)) + 0.5,
      item: { kind: "test", test },
      after: new Set(parents),
      tests: new Set(),
    });
    // The models the test needs built: its own parents and everything they read.
    const upstream = new Set(parents.flatMap((p) => [p, ...closure(p, parentsOf)]));
    const tested = test.model ? [test.model] : test.parents;
    for (const entry of entries)
      if (
        entry.item.kind === "model" &&
        !upstream.has(entry.key) &&
        entry.item.model.parents.some((p) => tested.includes(p))
      )
        entry.tests.add(key);
  }
  // Always the ready entry of lowest rank. Tests waiting on each other's models through two
  // relationships tests could close a loop; then a model stops waiting for tests.
  const done = new Set<string>();
  const out: Planned[] = [];
  const isDone = (key: string) => done.has(key);
  const pick = (ready: (e: Entry) => boolean) =>
    entries
      .filter((e) => !done.has(e.key) && ready(e))
      .reduce<Entry | undefined>((best, e) => (best && best.rank <= e.rank ? best : e), undefined);
  while (out.length < entries.length) {
    const allDone = (e: Entry) => [...e.after].every(isDone);
    const next = pick((e) => allDone(e) && [...e.tests].every(isDone)) ?? (pick(allDone) as Entry);
    done.add(next.key);
    out.push(next.item);
  }
  return out;
}
