// A view keeps its query as text and binds it each time it is read: one left out of a run whose
// models it reads changed (a column dropped) fails inside the model that reads it, and DuckDB's
// `LINE n:` then counts in the view's query, not in the model's file.
import type { CompiledProject, ModelNode } from "./compile.ts";
import type { Warehouse } from "./warehouse.ts";

/** A view the model reads that no longer binds, and DuckDB's reason without its line of the probe. */
export async function staleParentView(
  wh: Warehouse,
  project: CompiledProject,
  model: ModelNode,
): Promise<{ name: string; reason: string } | undefined> {
  for (const parent of model.parents) {
    const view = project.models.get(parent);
    if (view?.config.materialized !== "view") continue;
    try {
      await wh.all(`select * from ${view.relation} limit 0`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // "does not exist": a view never built, which the run names otherwise (unbuilt-parents.ts).
      if (/does not exist/.test(message) && !/Binder Error/.test(message)) continue;
      const reason = message.replace(/\n*LINE \d+:[^\n]*(\n[ \t]*\^[ \t]*)?$/, "").trimEnd();
      return { name: view.name, reason };
    }
  }
  return undefined;
}
