// The model DAG: cycle detection (reported as a chain), build order and the walks that dbt's node
// selection (select.ts) makes over it.
import type { StateChange } from "./state-compare.ts";

export interface GraphNode {
  name: string;
  parents: string[];
  tags: string[];
  /** The model's file, e.g. `models/marts/sessions.sql` (for `path:` selectors). */
  file?: string;
  /** The node's config (for `config.<key>:` selectors): materialized, tags, unique_key, severity … */
  config?: Record<string, unknown>;
  /** dbt's fully qualified name: project, folders, name (for `fqn:` and plain name selectors). */
  fqn?: string[];
  /** The sources it reads with `{{source}}` (for `source:` selectors). */
  sources?: string[];
  /**
   * A data test, keyed `test:name` so that a singular test may share a model's name. It is chosen by
   * its name or path, or, as dbt's indirect selection does, when a model it reads is chosen.
   */
  test?: boolean;
  /** A data test's kind, for `test_type:` (generic or singular) and `test_name:` (not_null, unique …). */
  testType?: "generic" | "singular";
  testName?: string;
  /** Its status in the last run's run_results.json (--state's, or target's), for `result:` (error, fail …). */
  result?: string;
  /** How it differs from the --state manifest's node, for `state:` (none: unmodified); unset without --state. */
  state?: StateChange[];
}

/** The key of a data test in a selection graph. */
export const testKey = (name: string) => `test:${name}`;

/** Every cycle found, each as the chain of refs that closes it: a > b > a (a refs b, b refs a). */
export function findCycles(nodes: Map<string, GraphNode>): string[][] {
  const state = new Map<string, "active" | "done">();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    const mark = state.get(name);
    if (mark === "done") return;
    if (mark === "active") {
      const chain = [...stack.slice(stack.indexOf(name)), name];
      const key = [...chain.slice(0, -1)].sort().join(",");
      if (!seen.has(key)) {
        seen.add(key);
        cycles.push(chain);
      }
      return;
    }
    state.set(name, "active");
    stack.push(name);
    for (const parent of nodes.get(name)?.parents ?? []) if (nodes.has(parent)) visit(parent);
    stack.pop();
    state.set(name, "done");
  };
  for (const name of [...nodes.keys()].sort()) visit(name);
  return cycles;
}

/** A stable topological order (ties by name); assumes no cycles. */
export function topoOrder(nodes: Map<string, GraphNode>): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  const visit = (name: string) => {
    if (done.has(name)) return;
    done.add(name);
    for (const parent of [...(nodes.get(name)?.parents ?? [])].sort()) if (nodes.has(parent)) visit(parent);
    order.push(name);
  };
  for (const name of [...nodes.keys()].sort()) visit(name);
  return order;
}

export function children(nodes: Map<string, GraphNode>): Map<string, string[]> {
  const out = new Map<string, string[]>([...nodes.keys()].map((k) => [k, []]));
  for (const [key, node] of nodes) for (const parent of node.parents) out.get(parent)?.push(key);
  return out;
}

/** The nodes reached from start in at most `depth` steps (breadth first, start itself left out). */
export function closure(
  start: string,
  next: (name: string) => string[],
  depth = Number.POSITIVE_INFINITY,
): Set<string> {
  const out = new Set<string>();
  let frontier = [start];
  for (let step = 0; step < depth && frontier.length; step++) {
    const reached: string[] = [];
    for (const name of frontier)
      for (const n of next(name))
        if (!out.has(n) && n !== start) {
          out.add(n);
          reached.push(n);
        }
    frontier = reached;
  }
  return out;
}
