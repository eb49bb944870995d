// dbt's state comparison: how each node and source of this project differs from the previous
// manifest's (--state), by the parts that dbt's state:modified subselectors name.
import type { Manifest } from "./artifacts.ts";
import type { ManifestNode, ManifestSource } from "./manifest-nodes.ts";

/** "new" (not in the previous manifest), or a part that changed; none at all: unmodified. */
export type StateChange = "new" | "body" | "configs" | "macros" | "relation";

/** Keys sorted at every level, so that two configs written in another order compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

// As dbt's: tags and meta describe a node and change nothing it builds.
function builtConfig(config: Record<string, unknown> | undefined): Record<string, unknown> {
  const { tags: _tags, meta: _meta, ...rest } = config ?? {};
  return rest;
}

function bodyChanged(now: ManifestNode, old: ManifestNode): boolean {
  // A generic test in a manifest without its checksum (dbt's say "none"): dbt compares its name and
  // arguments instead.
  if (now.checksum.name === "none" || old.checksum?.name === "none")
    return !same(now.fqn, old.fqn) || !same(testMetadata(now), testMetadata(old));
  return now.checksum.checksum !== old.checksum?.checksum;
}

const testMetadata = (node: ManifestNode) =>
  node.resource_type === "test" ? (node.test_metadata ?? null) : null;

/** How `id`'s node in `current` differs from the one in `previous`. */
export function nodeChanges(current: Manifest, previous: Manifest, id: string): StateChange[] {
  const now = current.nodes[id];
  const old = previous.nodes[id];
  if (!now) return [];
  if (!old) return ["new"];
  const changes: StateChange[] = [];
  if (bodyChanged(now, old)) changes.push("body");
  if (!same(builtConfig(now.config), builtConfig(old.config))) changes.push("configs");
  // As dbt's: a node is modified when a macro it includes (or one those include) changed.
  const macroChanged = (macro: string) =>
    current.macros[macro]?.macro_sql !== previous.macros?.[macro]?.macro_sql;
  if (now.depends_on.macros.some(macroChanged)) changes.push("macros");
  const relation = (n: ManifestNode) => [n.database, n.schema, n.alias, n.relation_name];
  if (!same(relation(now), relation(old))) changes.push("relation");
  return changes;
}

/** How a source differs: new, or its definition (columns, location, format, partitions) changed. */
export function sourceChanges(current: Manifest, previous: Manifest, id: string): StateChange[] {
  const now = current.sources[id];
  const old: ManifestSource | undefined = previous.sources?.[id];
  if (!now) return [];
  if (!old) return ["new"];
  const definition = (s: ManifestSource) => ({ columns: s.columns, external: s.external });
  return same(definition(now), definition(old)) ? [] : ["body"];
}
