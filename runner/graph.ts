// The model DAG: cycle detection (reported as a chain) and dbt's node selection (graph operators
// with depths, @, tag:, path:, source:, config.materialized:, wildcards, unions and intersections).
import { closestName } from "./suggest.ts";

export interface GraphNode {
  name: string;
  parents: string[];
  tags: string[];
  /** The model's file, e.g. `models/marts/sessions.sql` (for `path:` selectors). */
  file?: string;
  /** table, view or incremental (for `config.materialized:` selectors). */
  materialized?: string;
  /** The sources it reads with `{{source}}` (for `source:` selectors). */
  sources?: string[];
  /**
   * A data test, keyed `test:name` so that a singular test may share a model's name. It is chosen by
   * its name or path, or, as dbt's indirect selection does, when a model it reads is chosen.
   */
  test?: boolean;
}

/** The key of a data test in a selection graph. */
export const testKey = (name: string) => `test:${name}`;

/**
 * A source, as a selector reaches it: not a node that runs, but the parent of the nodes that read
 * it, so that `source:events+` takes them and their descendants, as in dbt.
 */
const sourceKey = (name: string) => `source:${name}`;

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

export class SelectorError extends Error {}

// One selector item, as dbt writes it: [@][N]+? method:value +?[N], e.g. `2+sessions`, `stg_events+1`,
// `@sessions`, `tag:marts`, `path:models/marts`, `config.materialized:incremental`, `stg_*`.
const ITEM = /^(@)?(?:(\d*)(\+))?(.+?)(?:(\+)(\d*))?$/;

/** A shell-style pattern (`*`, `?`) as an anchored regular expression. */
function glob(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`);
}

/**
 * Resolves dbt-style selectors; with none, every node is selected. Space-separated items are
 * unions, comma-joined parts of one item an intersection (`tag:marts,sessions+`). A selector that
 * matches no model selects nothing and is reported to `warn`, as dbt does: `--exclude tag:slow` in a
 * script must not fail once the last slow model is gone. A selector that cannot be read throws.
 */
export function selectNodes(
  nodes: Map<string, GraphNode>,
  select?: string[],
  exclude?: string[],
  warn: (message: string) => void = () => {},
): Set<string> {
  const kids = children(nodes);
  const parentsOf = (n: string) => nodes.get(n)?.parents.filter((p) => nodes.has(p)) ?? [];
  const readers = new Map<string, string[]>();
  for (const [key, node] of nodes)
    for (const source of node.sources ?? [])
      readers.set(sourceKey(source), [...(readers.get(sourceKey(source)) ?? []), key]);
  const childrenOf = (n: string) => kids.get(n) ?? readers.get(n) ?? [];
  const matching = (method: string, value: string, raw: string): string[] => {
    const all = [...nodes.values()];
    const keyOf = new Map([...nodes].map(([key, node]) => [node, key]));
    const pattern = glob(value);
    const found = (() => {
      switch (method) {
        case "":
          return all.filter((n) => pattern.test(n.name));
        case "tag":
          return all.filter((n) => n.tags.some((t) => pattern.test(t)));
        case "path": {
          // Relative to the project (models/marts) or to the models folder (marts); a folder or a file.
          const wanted = value.replace(/^\.\//, "").replace(/\/+$/, "");
          return all.filter((n) => {
            const file = n.file ?? "";
            const inModels = file.slice(file.indexOf("/") + 1);
            return [file, inModels].some(
              (f) => f === wanted || f.startsWith(`${wanted}/`) || glob(wanted).test(f),
            );
          });
        }
        case "config.materialized":
          return all.filter((n) => n.materialized !== undefined && pattern.test(n.materialized));
        case "source":
          return [];
        default:
          throw new SelectorError(
            `unknown selector method "${method}" in "${raw}" (use a name, tag:, path:, source: or config.materialized:)`,
          );
      }
    })();
    if (method === "source") {
      const sources = [...readers.keys()].filter((key) => pattern.test(key.slice("source:".length)));
      if (sources.length === 0)
        warn(`the selector "${raw}" matches nothing: no model or test reads a source named "${value}"`);
      return sources;
    }
    if (found.length === 0) {
      const none: Record<string, string> = {
        "": "no model named",
        tag: "no model has the tag",
        path: "no model file is at",
        "config.materialized": "no model is materialized as",
      };
      const known: Record<string, string[]> = { "": all.map((n) => n.name), tag: all.flatMap((n) => n.tags) };
      const meant = closestName(value, known[method] ?? []);
      warn(
        `the selector "${raw}" matches nothing: ${none[method]} "${value}"${meant ? ` (did you mean "${meant}"?)` : ""}`,
      );
    }
    return found.map((n) => keyOf.get(n) as string);
  };
  const resolvePart = (raw: string): Set<string> => {
    const match = ITEM.exec(raw);
    if (!match) throw new SelectorError(`cannot read the selector "${raw}"`);
    const [, at, upDepth, up, body = "", down, downDepth] = match;
    if (at && (up || down)) throw new SelectorError(`"@" cannot be combined with "+" (selector "${raw}")`);
    const colon = body.indexOf(":");
    const [method, value] = colon < 0 ? ["", body] : [body.slice(0, colon), body.slice(colon + 1)];
    if (value === "") throw new SelectorError(`the selector "${raw}" names nothing`);
    const base = matching(method, value, raw);
    if (method === "source" && !down && !at && base.length)
      warn(`the selector "${raw}" takes the source itself, which does not run: ${raw}+ takes what reads it`);
    const depth = (digits: string | undefined) => (digits ? Number(digits) : Number.POSITIVE_INFINITY);
    const out = new Set(base);
    for (const b of base) {
      if (up) for (const a of closure(b, parentsOf, depth(upDepth))) out.add(a);
      if (down || at) for (const d of closure(b, childrenOf, depth(downDepth))) out.add(d);
    }
    // @name: its descendants and every ancestor of them, so that they can all be built.
    if (at)
      for (const d of [...out]) for (const a of closure(d, parentsOf, Number.POSITIVE_INFINITY)) out.add(a);
    for (const key of out) if (readers.has(key)) out.delete(key);
    return out;
  };
  const resolveItem = (item: string): Set<string> => {
    const parts = item.split(",").map((p) => p.trim());
    if (parts.some((p) => p === "")) throw new SelectorError(`the selector "${item}" has an empty part`);
    const [first, ...rest] = parts.map(resolvePart);
    return new Set([...(first ?? [])].filter((n) => rest.every((r) => r.has(n))));
  };
  const expand = (list: string[]) => list.flatMap((item) => item.split(/\s+/)).filter(Boolean);
  const chosen = new Set<string>();
  const selectors = expand(select ?? []);
  if (selectors.length === 0) for (const [key, node] of nodes) if (!node.test) chosen.add(key);
  for (const s of selectors) for (const n of resolveItem(s)) chosen.add(n);
  const excluded = new Set(expand(exclude ?? []).flatMap((s) => [...resolveItem(s)]));
  // dbt's eager indirect selection: a test comes along with any model it reads that is chosen, and
  // goes with any model it reads that is excluded.
  for (const [key, node] of nodes)
    if (node.test && node.parents.some((p) => excluded.has(p))) excluded.add(key);
  for (const n of excluded) chosen.delete(n);
  for (const [key, node] of nodes)
    if (node.test && !excluded.has(key) && node.parents.some((p) => chosen.has(p))) chosen.add(key);
  return chosen;
}
