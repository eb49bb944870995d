// What an incremental model's stored rows were computed with. An incremental run merges only new
// rows, so after an edit of the model (or of a model it reads, a macro, a var or a source, or a new
// version of ownstats) the rows it kept would follow the old definition while new ones follow the
// new. The definition's checksum is kept as the table's comment, which travels with the table through
// the swap of a full build, and a mismatch rebuilds the model in full.
import { createHash } from "node:crypto";
import type { CompiledProject, ModelNode } from "./compile.ts";
import { bindRefs } from "./template-marks.ts";

const prefix = "ownstats definition sha256:";

/** The table comment that records the model's current definition. */
export function definitionComment(model: ModelNode, project: CompiledProject): string {
  return `${prefix}${checksum(model, project, new Map(), false)}`;
}

/**
 * The comment of a table built when tags and meta counted as its definition: still its definition
 * while they are unchanged, so that such a table is not rebuilt in full for them.
 */
export function taggedDefinitionComment(model: ModelNode, project: CompiledProject): string {
  return `${prefix}${checksum(model, project, new Map(), true)}`;
}

// A model's definition includes its parents': rows merged from a parent that now computes them
// otherwise would mix the two, whichever of the models a run selected.
function checksum(
  model: ModelNode,
  project: CompiledProject,
  known: Map<string, string>,
  withTags: boolean,
): string {
  const seen = known.get(model.name);
  if (seen) return seen;
  known.set(model.name, "in a cycle"); // compile refuses cycles; this only keeps the walk finite
  // Every model built is enabled: the key is left out so that the tables built before it existed
  // keep their checksum and are not rebuilt in full for it. Tags and meta describe a model and
  // change nothing built (as state:modified reads them): a full rebuild for them would cost a
  // read of every raw file, and lose the rows whose files have expired.
  const { enabled: _, ...tagged } = model.config;
  const { tags: _tags, meta: _meta, ...untagged } = tagged;
  const config = withTags ? tagged : untagged;
  const definition = {
    // Without the marks of its refs: a table built before they were marked keeps its checksum.
    full: bindRefs(model.full.sql),
    incremental: model.incremental && bindRefs(model.incremental.sql),
    config,
    sources: model.sources.map((name) => project.config.sources[name]),
    parents: model.parents.map((name) => {
      const parent = project.models.get(name);
      return parent ? checksum(parent, project, known, withTags) : name;
    }),
  };
  const sum = createHash("sha256").update(JSON.stringify(definition)).digest("hex");
  known.set(model.name, sum);
  return sum;
}

/** Why the stored rows cannot be merged into, as a rebuild reason; undefined when they can. */
export function definitionChange(stored: string | undefined, current: string): string | undefined {
  if (stored === current) return undefined;
  return stored?.startsWith(prefix)
    ? "its definition changed since its last build (its SQL or config, a model it reads, a macro, a var or a source)"
    : "its table does not record the definition its rows were built with";
}
