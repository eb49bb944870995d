// dbt's indirect selection (--indirect-selection): which data tests come along with the models a
// selection chooses. A test is a candidate when a model it reads is chosen; the mode says which
// candidates are taken.
import { closure, type GraphNode } from "./graph.ts";

export const indirectSelections = ["eager", "cautious", "buildable", "empty"] as const;
export type IndirectSelection = (typeof indirectSelections)[number];

/** For a set of chosen nodes, whether a data test comes along with them. */
export function indirectTests(
  nodes: Map<string, GraphNode>,
  mode: IndirectSelection,
): (chosen: Set<string>) => (test: GraphNode) => boolean {
  const parentsOf = (n: string) => nodes.get(n)?.parents.filter((p) => nodes.has(p)) ?? [];
  return (chosen) => {
    const candidate = (test: GraphNode) => test.parents.some((p) => chosen.has(p));
    switch (mode) {
      case "eager":
        return candidate;
      // Only a test of the chosen models alone: one that also reads another model is left out.
      case "cautious":
        return (test) => candidate(test) && test.parents.every((p) => chosen.has(p));
      // Also one whose other models are built before the chosen ones (their ancestors).
      case "buildable": {
        let upstream: Set<string> | undefined;
        const built = (p: string) => {
          upstream ??= new Set([...chosen].flatMap((c) => [...closure(c, parentsOf)]));
          return chosen.has(p) || upstream.has(p);
        };
        return (test) => candidate(test) && test.parents.every(built);
      }
      case "empty":
        return () => false;
    }
  };
}

/**
 * Whether, with every model chosen (no selector), a test that reads no model comes along: as a test
 * whose models are all chosen does, in every mode but empty.
 */
export function takesModelessTests(mode: IndirectSelection): boolean {
  return mode !== "empty";
}
