// dbt's node selection: graph operators with depths, @, the selector methods (a name or fqn, tag:,
// path:, file:, fqn:, package:, config.<key>:, resource_type:, test_type:, test_name:, source:, state:),
// wildcards, unions and intersections.
import { children, closure, type GraphNode } from "./graph.ts";
import { type IndirectSelection, indirectTests, takesModelessTests } from "./select-indirect.ts";
import { matcherOf, SelectorError, sourceKey } from "./select-methods.ts";
import type { StateChange } from "./state-compare.ts";

export type { IndirectSelection } from "./select-indirect.ts";
export { SelectorError } from "./select-methods.ts";

// One selector item, as dbt writes it: [@][N]+? method:value +?[N], e.g. `2+sessions`, `stg_events+1`,
// `@sessions`, `tag:marts`, `path:models/marts`, `config.materialized:incremental`, `stg_*`.
const ITEM = /^(@)?(?:(\d*)(\+))?(.+?)(?:(\+)(\d*))?$/;

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
  /** Models switched off (enabled: false), said to be so when a selector names one. */
  disabled: ReadonlyMap<string, string> = new Map(),
  more: {
    /** How each source differs from the --state manifest's; unset without --state. */
    sourceState?: ReadonlyMap<string, StateChange[]>;
    /** dbt's --indirect-selection: which data tests come along with the models chosen. */
    indirect?: IndirectSelection;
    /** dbt's selector method (`selector:nightly`): what a selector of selectors.yml chooses. */
    named?: (name: string) => Set<string>;
  } = {},
): Set<string> {
  const { sourceState } = more;
  const takesTest = indirectTests(nodes, more.indirect ?? "eager");
  const kids = children(nodes);
  const parentsOf = (n: string) => nodes.get(n)?.parents.filter((p) => nodes.has(p)) ?? [];
  const readers = new Map<string, string[]>();
  for (const [key, node] of nodes)
    for (const source of node.sources ?? [])
      readers.set(sourceKey(source), [...(readers.get(sourceKey(source)) ?? []), key]);
  const childrenOf = (n: string) => kids.get(n) ?? readers.get(n) ?? [];
  const matching = (method: string, value: string, raw: string): string[] => {
    const matcher = matcherOf(method, value, raw, [...nodes.values()], sourceState);
    // A source does not run, but is the parent of what reads it (state: reaches nodes and sources).
    const sources = matcher.sources
      ? [...readers.keys()].filter((key) => matcher.sources?.(key.slice("source:".length)))
      : [];
    const found = [...nodes].filter(([, node]) => matcher.node(node)).map(([key]) => key);
    const none =
      method === "" && disabled.has(value) ? `"${value}" is a disabled model (enabled: false)` : matcher.none;
    if (found.length === 0 && sources.length === 0) warn(`the selector "${raw}" matches nothing: ${none}`);
    return [...sources, ...found];
  };
  const resolvePart = (raw: string): Set<string> => {
    const match = ITEM.exec(raw);
    if (!match) throw new SelectorError(`cannot read the selector "${raw}"`);
    const [, at, upDepth, up, body = "", down, downDepth] = match;
    if (at && (up || down)) throw new SelectorError(`"@" cannot be combined with "+" (selector "${raw}")`);
    const colon = body.indexOf(":");
    const [method, value] = colon < 0 ? ["", body] : [body.slice(0, colon), body.slice(colon + 1)];
    if (value === "") throw new SelectorError(`the selector "${raw}" names nothing`);
    if (method === "selector") return namedSelection(raw, value, at || up || down);
    const base = matching(method, value, raw);
    if (base.some((key) => readers.has(key)) && !down && !at)
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
  // As dbt's selector inheritance: the named selection as it is, which no graph operator modifies.
  const namedSelection = (raw: string, name: string, operator: string | undefined): Set<string> => {
    if (operator)
      throw new SelectorError(
        `"${raw}": selector:${name} takes that selection as it is, without + or @ (define them in selectors.yml)`,
      );
    if (!more.named) throw new SelectorError(`"${raw}": there is no selectors.yml to name selections in`);
    return new Set(more.named(name));
  };
  // dbt's indirect selection, applied to each part before an intersection, as dbt does: so
  // `daily,test_type:generic` is daily's generic tests, not nothing.
  const withTests = (part: Set<string>): Set<string> => {
    const takes = takesTest(part);
    for (const [key, node] of nodes) if (node.test && takes(node)) part.add(key);
    return part;
  };
  const resolveItem = (item: string): Set<string> => {
    const parts = item.split(",").map((p) => p.trim());
    if (parts.some((p) => p === "")) throw new SelectorError(`the selector "${item}" has an empty part`);
    const [first, ...rest] = parts.map((part) => withTests(resolvePart(part)));
    return new Set([...(first ?? [])].filter((n) => rest.every((r) => r.has(n))));
  };
  const expand = (list: string[]) => list.flatMap((item) => item.split(/\s+/)).filter(Boolean);
  const chosen = new Set<string>();
  const selectors = expand(select ?? []);
  if (selectors.length === 0) for (const [key, node] of nodes) if (!node.test) chosen.add(key);
  for (const s of selectors) for (const n of resolveItem(s)) chosen.add(n);
  const excluded = new Set(expand(exclude ?? []).flatMap((s) => [...resolveItem(s)]));
  // As dbt's indirect selection: a test comes along with the models it reads that are chosen (by the
  // mode), and goes with any model it reads that is excluded.
  for (const n of withTestsOf(nodes, excluded)) chosen.delete(n);
  const takes = takesTest(chosen);
  // With no selector every model is chosen, as by dbt's default (`fqn:*`): a test that reads no model
  // (a constant check, or one of a source alone) then comes along as one whose models are all chosen
  // does under the mode. Under a selection it is a node like any other, chosen by its own name,
  // path, type or source (`source:events+`), never by models it does not read.
  const modelless = selectors.length === 0 && takesModelessTests(more.indirect ?? "eager");
  for (const [key, node] of nodes)
    if (node.test && !excluded.has(key) && (takes(node) || (modelless && node.parents.length === 0)))
      chosen.add(key);
  return chosen;
}

/** As dbt's --exclude: a data test goes with any model it reads that is excluded. */
export function withTestsOf(nodes: Map<string, GraphNode>, excluded: Set<string>): Set<string> {
  for (const [key, node] of nodes)
    if (node.test && node.parents.some((p) => excluded.has(p))) excluded.add(key);
  return excluded;
}
