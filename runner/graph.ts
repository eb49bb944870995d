// The model DAG: cycle detection (reported as a chain) and node selection (name, +name, name+, tag:x).

export interface GraphNode {
  name: string;
  parents: string[];
  tags: string[];
}

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
  for (const node of nodes.values()) for (const parent of node.parents) out.get(parent)?.push(node.name);
  return out;
}

function closure(start: string, next: (name: string) => string[]): Set<string> {
  const out = new Set<string>();
  const todo = [start];
  while (todo.length) {
    const name = todo.pop() as string;
    for (const n of next(name))
      if (!out.has(n)) {
        out.add(n);
        todo.push(n);
      }
  }
  return out;
}

export class SelectorError extends Error {}

/** Resolves dbt-style selectors; with none, every node is selected. Space-separated items are unions. */
export function selectNodes(
  nodes: Map<string, GraphNode>,
  select?: string[],
  exclude?: string[],
): Set<string> {
  const kids = children(nodes);
  const parentsOf = (n: string) => nodes.get(n)?.parents.filter((p) => nodes.has(p)) ?? [];
  const resolveOne = (raw: string): Set<string> => {
    let selector = raw.trim();
    const up = selector.startsWith("+");
    const down = selector.endsWith("+");
    selector = selector.replace(/^\+/, "").replace(/\+$/, "");
    let base: string[];
    if (selector.startsWith("tag:")) {
      const tag = selector.slice(4);
      base = [...nodes.values()].filter((n) => n.tags.includes(tag)).map((n) => n.name);
      if (base.length === 0) throw new SelectorError(`no model has the tag "${tag}" (selector "${raw}")`);
    } else if (selector === "*") {
      base = [...nodes.keys()];
    } else {
      if (!nodes.has(selector)) throw new SelectorError(`no model named "${selector}" (selector "${raw}")`);
      base = [selector];
    }
    const out = new Set(base);
    for (const b of base) {
      if (up) for (const a of closure(b, parentsOf)) out.add(a);
      if (down) for (const d of closure(b, (n) => kids.get(n) ?? [])) out.add(d);
    }
    return out;
  };
  const expand = (list: string[]) => list.flatMap((item) => item.split(/\s+/)).filter(Boolean);
  const chosen = new Set<string>();
  const selectors = expand(select ?? []);
  if (selectors.length === 0) for (const n of nodes.keys()) chosen.add(n);
  for (const s of selectors) for (const n of resolveOne(s)) chosen.add(n);
  for (const s of expand(exclude ?? [])) for (const n of resolveOne(s)) chosen.delete(n);
  return chosen;
}
