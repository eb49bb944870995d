// A selection that leaves out a model its models read works on a warehouse that already has that
// model, and fails on a fresh one ("Table with name stg_events does not exist"). The default selector
// of selectors.yml makes every bare `ownstats build`, and every build of `ownstats dev`, such a
// selection: there the models that were never built are built along, and the run says so. A selection
// given on the command line is kept as it is, as dbt's, and a model that fails so says what to select.
import type { CompiledProject } from "./compile.ts";
import { testKey } from "./graph.ts";
import { listSourceFiles } from "./source.ts";
import type { Warehouse } from "./warehouse.ts";

/**
 * The comment of a view built while a source it reads had no file: its query holds an empty relation
 * in the source's place, so it reads no row even once files land, until it is built again.
 */
export const noSourceFileComment = "ownstats: built while its source had no file";

/** The views the warehouse holds that were built while their source had no file, which now has one. */
export async function staleSourceViews(
  wh: Warehouse,
  project: CompiledProject,
  data: string,
): Promise<Set<string>> {
  const rows = await wh.all<{ name: string }>(
    `select view_name as name from duckdb_views() where schema_name = 'main' and not temporary and comment = '${noSourceFileComment}'`,
  );
  const stale = new Set<string>();
  for (const { name } of rows) {
    const model = [...project.models.values()].find((m) => m.name.toLowerCase() === name.toLowerCase());
    const sources = (model?.sources ?? []).flatMap((s) => project.config.sources[s] ?? []);
    if (model && sources.some((source) => listSourceFiles(data, source, undefined, 1).length > 0))
      stale.add(model.name);
  }
  return stale;
}

/** Models a node reads that the selection leaves out and the warehouse lacks. */
export interface Unbuilt {
  parents: string[];
  /** The selected model (or data test) that needs them: the node itself, or one reading it (an ephemeral model). */
  neededBy: string;
}

/**
 * Each node that reads models the selection leaves out and the warehouse lacks: a selected model, an
 * ephemeral model one of them reads, and with `tests`, a selected data test (under its key).
 */
export async function unbuiltParents(
  wh: Warehouse,
  project: CompiledProject,
  selected: Set<string>,
  tests = false,
  /** Views to count as missing: built while their source had no file (staleSourceViews). */
  stale: ReadonlySet<string> = new Set(),
): Promise<Map<string, Unbuilt>> {
  const rows = await wh.all<{ name: string }>(
    `select lower(table_name) as name from duckdb_tables() where schema_name = 'main' and not temporary
     union all
     select lower(view_name) from duckdb_views() where schema_name = 'main' and not temporary`,
  );
  const existing = new Set(rows.map((row) => row.name));
  const readers = [...selected].map((name) => ({ name, parents: project.models.get(name)?.parents ?? [] }));
  if (tests)
    for (const test of project.tests)
      if (selected.has(testKey(test.name))) readers.push({ name: testKey(test.name), parents: test.parents });
  const missing = new Map<string, Unbuilt>();
  for (const reader of readers) {
    const seen = new Set<string>();
    const visit = (name: string, parents: string[]) => {
      for (const parent of parents) {
        if (seen.has(parent) || selected.has(parent)) continue;
        seen.add(parent);
        // An ephemeral model is built with the run whatever the selection: what it reads counts too.
        const model = project.models.get(parent);
        if (model?.config.materialized === "ephemeral") visit(parent, model.parents);
        else if (!existing.has(parent.toLowerCase()) || stale.has(parent)) {
          const entry = missing.get(name) ?? { parents: [], neededBy: reader.name };
          entry.parents.push(parent);
          missing.set(name, entry);
        }
      }
    };
    visit(reader.name, reader.parents);
  }
  return missing;
}

/**
 * The default selector's selection with every model it (and, with `tests`, its data tests) needs that
 * was never built, and the line that says which; the same selection when none is missing.
 */
export async function withUnbuiltParents(
  wh: Warehouse,
  project: CompiledProject,
  selected: Set<string>,
  selector: string,
  tests: boolean,
  stale: ReadonlySet<string> = new Set(),
): Promise<{ selected: Set<string>; lines: string[] }> {
  const added = new Set<string>();
  let widened = selected;
  // A missing model's own parents may be missing too: widen until nothing more is.
  for (;;) {
    const lacking = [...(await unbuiltParents(wh, project, widened, tests, stale)).values()].flatMap(
      (u) => u.parents,
    );
    if (lacking.length === 0) break;
    for (const name of lacking) added.add(name);
    widened = new Set([...widened, ...lacking]);
  }
  const line = (names: string[], why: (them: string) => string) => {
    const them = names.length === 1 ? "it" : "them";
    return `Also building ${names.sort().join(", ")}: the default selector "${selector}" leaves ${them} out, but what it selects reads ${them} ${why(them)}`;
  };
  const missing = [...added].filter((name) => !stale.has(name));
  const empty = [...added].filter((name) => stale.has(name));
  return {
    selected: added.size ? widened : selected,
    lines: [
      ...(missing.length ? [line(missing, (them) => `and the warehouse does not have ${them} yet`)] : []),
      ...(empty.length
        ? [
            line(
              empty,
              (them) => `and the warehouse has ${them} as a view built while its source had no file`,
            ),
          ]
        : []),
    ],
  };
}

/** The warning for views a selection given on the command line leaves out while they read no row. */
export function staleViewWarning(view: string, neededBy: string): string {
  return `[WARNING]: ${view} is a view built while its source had no file, so it reads no row until it is built again: select it too (+${neededBy} selects ${neededBy} with every ancestor)`;
}

/** What a model that failed while reading models the selection left out adds to its error. */
export function unbuiltParentsHint(model: string, { parents, neededBy }: Unbuilt): string {
  const them = parents.length === 1 ? "it" : "them";
  return `${model} reads ${parents.map((p) => `"${p}"`).join(", ")}, which this selection leaves out and the warehouse does not have yet: select ${them} too (+${neededBy} selects ${neededBy} with every ancestor), or build ${them} first`;
}
