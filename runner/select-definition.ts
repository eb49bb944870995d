// A selectors.yml definition (selectors-file.ts), resolved as dbt does: each selector string as the
// command line's --select, then unions, intersections and excludes of what they chose, and another
// selector's selection for `method: selector` (or `selector:name` in a string).
import type { GraphNode } from "./graph.ts";
import type { ProjectError } from "./project.ts";
import { type IndirectSelection, SelectorError, selectNodes, withTestsOf } from "./select.ts";
import { type Definition, readSelectorsFile, type SelectorsFile, selectorsPath } from "./selectors-file.ts";
import type { StateChange } from "./state-compare.ts";
import { didYouMean } from "./suggest.ts";

export interface DefinitionContext {
  nodes: Map<string, GraphNode>;
  warn: (message: string) => void;
  disabled?: ReadonlyMap<string, string>;
  sourceState?: ReadonlyMap<string, StateChange[]>;
  /** --indirect-selection, for a definition that sets no indirect_selection of its own. */
  indirect?: IndirectSelection;
}

/** A SelectorError that already names where in selectors.yml it arose, so it is not named again. */
class LocatedError extends SelectorError {}

/**
 * Reads models/selectors.yml for a selection: undefined when there is none; a SelectorError naming
 * the file, the key and its line when it cannot be read.
 */
export function readSelectors(modelsDir: string): SelectorsFile | undefined {
  const errors: ProjectError[] = [];
  const file = readSelectorsFile(modelsDir, errors);
  if (errors.length)
    throw new SelectorError(
      errors.map((e) => `${e.line ? `${e.file}:${e.line}` : e.file} ${e.message}`).join("\n"),
    );
  return file;
}

/**
 * The nodes each named selector of models/selectors.yml chooses, as a function of its name and of
 * what names it (`--selector nightly`, for the messages). A missing file, an unknown name or a
 * selector that reaches itself again through others (named as the chain, `a > b > a`) throws.
 */
export function namedSelections(
  file: SelectorsFile | undefined,
  modelsDir: string,
  ctx: DefinitionContext,
): (name: string, from: string) => Set<string> {
  const resolving: string[] = [];
  const named = (name: string, from: string): Set<string> => {
    if (!file)
      throw new LocatedError(
        `${from}: there is no ${selectorsPath(modelsDir)} to define it (dbt's selectors.yml, beside project.yml)`,
      );
    const definition = file.selectors.get(name);
    if (!definition) {
      const names = [...file.selectors.keys()];
      throw new LocatedError(
        `${from}: ${file.display} has no selector named "${name}"${didYouMean(name, names) || ` (it has: ${names.join(", ")})`}`,
      );
    }
    if (resolving.includes(name))
      throw new LocatedError(
        `${from}: selectors reuse each other in a cycle: ${[...resolving.slice(resolving.indexOf(name)), name].join(" > ")}`,
      );
    resolving.push(name);
    try {
      return resolve(definition, file.display);
    } finally {
      resolving.pop();
    }
  };
  // Where a definition sits in the file, for a message: its line when known.
  const where = (definition: { at: string; line?: number }, display: string) =>
    definition.line ? `${display}:${definition.line} ${definition.at}` : `${display}, ${definition.at}`;
  const resolve = (definition: Definition, display: string): Set<string> => {
    if ("selector" in definition) return named(definition.selector, where(definition, display));
    if ("text" in definition) {
      const at = where(definition, display);
      try {
        return selectNodes(ctx.nodes, [definition.text], undefined, ctx.warn, ctx.disabled, {
          sourceState: ctx.sourceState,
          indirect: definition.indirect ?? ctx.indirect,
          named: (name) => named(name, at),
        });
      } catch (error) {
        if (!(error instanceof SelectorError) || error instanceof LocatedError) throw error;
        throw new LocatedError(`${at}: ${error.message}`);
      }
    }
    const sets = definition.items.map((item) => resolve(item, display));
    const [first = new Set<string>(), ...rest] = sets;
    const chosen =
      definition.op === "union"
        ? new Set(sets.flatMap((s) => [...s]))
        : new Set([...first].filter((key) => rest.every((s) => s.has(key))));
    const excluded = new Set(definition.exclude.flatMap((d) => [...resolve(d, display)]));
    for (const key of withTestsOf(ctx.nodes, excluded)) chosen.delete(key);
    return chosen;
  };
  return named;
}
