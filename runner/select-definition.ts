// A selectors.yml definition (selectors-file.ts), resolved as dbt does: each selector string as the
// command line's --select, then unions, intersections and excludes of what they chose.
import type { GraphNode } from "./graph.ts";
import type { ProjectError } from "./project.ts";
import { type IndirectSelection, SelectorError, selectNodes, withTestsOf } from "./select.ts";
import { type Definition, readSelectorsFile, selectorsPath } from "./selectors-file.ts";
import type { StateChange } from "./state-compare.ts";
import { didYouMean } from "./suggest.ts";

export interface DefinitionContext {
  nodes: Map<string, GraphNode>;
  warn: (message: string) => void;
  disabled?: ReadonlyMap<string, string>;
  sourceState?: ReadonlyMap<string, StateChange[]>;
  /** --indirect-selection, for a definition that sets no indirect_selection of its own. */
  indirect?: IndirectSelection;
  /** The file as messages name it. */
  file: string;
}

export function resolveDefinition(definition: Definition, ctx: DefinitionContext): Set<string> {
  if ("text" in definition) {
    try {
      return selectNodes(ctx.nodes, [definition.text], undefined, ctx.warn, ctx.disabled, {
        sourceState: ctx.sourceState,
        indirect: definition.indirect ?? ctx.indirect,
      });
    } catch (error) {
      if (!(error instanceof SelectorError)) throw error;
      throw new SelectorError(`${ctx.file}, ${definition.at}: ${error.message}`);
    }
  }
  const sets = definition.items.map((item) => resolveDefinition(item, ctx));
  const [first = new Set<string>(), ...rest] = sets;
  const chosen =
    definition.op === "union"
      ? new Set(sets.flatMap((s) => [...s]))
      : new Set([...first].filter((key) => rest.every((s) => s.has(key))));
  const excluded = new Set(definition.exclude.flatMap((d) => [...resolveDefinition(d, ctx)]));
  for (const key of withTestsOf(ctx.nodes, excluded)) chosen.delete(key);
  return chosen;
}

/**
 * The nodes that --selector `name` of models/selectors.yml chooses. A missing file, an unknown name or
 * a definition that cannot be read throws a SelectorError naming the file, the key and its line.
 */
export function selectNamed(
  name: string,
  modelsDir: string,
  ctx: Omit<DefinitionContext, "file">,
): Set<string> {
  const errors: ProjectError[] = [];
  const file = readSelectorsFile(modelsDir, errors);
  if (errors.length)
    throw new SelectorError(
      errors.map((e) => `${e.line ? `${e.file}:${e.line}` : e.file} ${e.message}`).join("\n"),
    );
  if (!file)
    throw new SelectorError(
      `--selector ${name}: there is no ${selectorsPath(modelsDir)} to define it (dbt's selectors.yml, beside project.yml)`,
    );
  const definition = file.selectors.get(name);
  if (!definition) {
    const names = [...file.selectors.keys()];
    throw new SelectorError(
      `--selector ${name}: ${file.display} has no selector named "${name}"${didYouMean(name, names) || ` (it has: ${names.join(", ")})`}`,
    );
  }
  return resolveDefinition(definition, { ...ctx, file: file.display });
}
