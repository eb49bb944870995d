// dbt's state: selector method (slim CI): the nodes that are new or modified against the manifest
// that --state names, with dbt's subselectors for which part changed.
import type { GraphNode } from "./graph.ts";
import { SelectorError } from "./select-error.ts";
import type { StateChange } from "./state-compare.ts";

const parts = ["body", "configs", "macros", "relation"] as const;
// dbt's subselectors for what a project here cannot have (persist_docs, contracts): only new nodes.
const absentParts = ["persisted_descriptions", "contract"];
const values = [
  "new",
  "old",
  "modified",
  "unmodified",
  ...[...parts, ...absentParts].map((p) => `modified.${p}`),
];

/** Whether changes (relative to the --state manifest) match the state: value. */
function predicate(value: string): ((changes: StateChange[]) => boolean) | undefined {
  if (value === "new") return (c) => c.includes("new");
  if (value === "old") return (c) => !c.includes("new");
  // As dbt's: a new node is a modified one, for every subselector too.
  if (value === "modified") return (c) => c.length > 0;
  if (value === "unmodified") return (c) => c.length === 0;
  const part = value.startsWith("modified.") ? value.slice("modified.".length) : undefined;
  if (part && (parts as readonly string[]).includes(part))
    return (c) => c.includes("new") || c.includes(part as StateChange);
  if (part && absentParts.includes(part)) return (c) => c.includes("new");
  return undefined;
}

export function stateMatcher(
  value: string,
  raw: string,
  sourceState: ReadonlyMap<string, StateChange[]> | undefined,
) {
  if (!sourceState)
    throw new SelectorError(
      `"${raw}" compares with an earlier run: give --state <folder> holding that run's manifest.json`,
    );
  const matches = predicate(value);
  if (!matches) throw new SelectorError(`unknown state "${value}" in "${raw}" (use ${values.join(", ")})`);
  return {
    node: (n: GraphNode) => n.state !== undefined && matches(n.state),
    // A source does not run: only a changed one is worth selecting, for `state:modified+`.
    sources: (name: string) => {
      const changes = sourceState.get(name) ?? [];
      return changes.length > 0 && matches(changes);
    },
    none: `no node is state:${value} against the manifest in --state`,
  };
}
