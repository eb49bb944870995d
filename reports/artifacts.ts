// Reads the runner's dbt-like artifacts (target/manifest.json and target/run_results.json)
// tolerantly: a missing file or field gives an empty list, never a failed build, because the
// models page must render before the first `ownstats run` too.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface ModelDoc {
  id: string;
  name: string;
  description: string;
  materialized: string;
  dependsOn: string[];
  columns: { name: string; description: string; type: string }[];
  tests: { name: string; status: string }[];
  status: string;
  seconds: number | null;
  message: string;
}

export interface SourceDoc {
  id: string;
  name: string;
}

export interface Lineage {
  models: ModelDoc[];
  sources: SourceDoc[];
  generatedAt: string | null;
  runAt: string | null;
  problem: string | null;
}

type Json = Record<string, unknown>;

function record(value: unknown): Json {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function readJson(path: string): Json | null {
  if (!existsSync(path)) return null;
  return record(JSON.parse(readFileSync(path, "utf8")));
}

export function readLineage(data: string): Lineage {
  let manifest: Json | null;
  let runResults: Json | null;
  try {
    manifest = readJson(join(data, "target", "manifest.json"));
    runResults = readJson(join(data, "target", "run_results.json"));
  } catch (error) {
    return {
      models: [],
      sources: [],
      generatedAt: null,
      runAt: null,
      problem: `unreadable artifact: ${(error as Error).message}`,
    };
  }
  if (!manifest) {
    return {
      models: [],
      sources: [],
      generatedAt: null,
      runAt: null,
      problem: "no target/manifest.json yet: run `ownstats run`",
    };
  }
  const results = new Map<string, Json>();
  for (const r of Array.isArray(runResults?.results) ? runResults.results : []) {
    const result = record(r);
    results.set(text(result.unique_id), result);
  }
  const nodes = Object.entries(record(manifest.nodes)).map(([id, node]) => ({ id, node: record(node) }));
  const testsOf = new Map<string, { name: string; status: string }[]>();
  for (const { id, node } of nodes) {
    if (!id.startsWith("test.") && node.resource_type !== "test") continue;
    const status = text(results.get(id)?.status) || "not run";
    const attached = text(node.attached_node);
    const targets = attached ? [attached] : strings(record(node.depends_on).nodes);
    for (const target of targets) {
      const list = testsOf.get(target) ?? [];
      list.push({ name: text(node.name) || id, status });
      testsOf.set(target, list);
    }
  }
  const models: ModelDoc[] = nodes
    .filter(({ id, node }) => id.startsWith("model.") || node.resource_type === "model")
    .map(({ id, node }) => {
      const result = results.get(id);
      const time = result?.execution_time;
      return {
        id,
        name: text(node.name) || id.split(".").at(-1) || id,
        description: text(node.description),
        materialized: text(record(node.config).materialized),
        dependsOn: strings(record(node.depends_on).nodes),
        columns: Object.entries(record(node.columns)).map(([name, column]) => ({
          name: text(record(column).name) || name,
          description: text(record(column).description),
          type: text(record(column).data_type),
        })),
        tests: testsOf.get(id) ?? [],
        status: text(result?.status) || "not run",
        seconds: typeof time === "number" ? time : null,
        message: text(result?.message),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  const sourceIds = new Set(models.flatMap((m) => m.dependsOn).filter((d) => !d.startsWith("model.")));
  const sourceEntries = record(manifest.sources);
  for (const id of Object.keys(sourceEntries)) sourceIds.add(id);
  // dbt's source ids are source.<project>.<source>.<table>; the runner's sources have one table of
  // their own name, shown once.
  const sourceName = (id: string) => {
    const entry = record(sourceEntries[id]);
    const [group, table] = [text(entry.source_name), text(entry.name)];
    if (table) return group && group !== table ? `${group}.${table}` : table;
    return id.split(".").slice(2).join(".") || id;
  };
  return {
    models,
    sources: [...sourceIds].sort().map((id) => ({ id, name: sourceName(id) })),
    generatedAt: text(record(manifest.metadata).generated_at) || null,
    runAt: text(record(runResults?.metadata).generated_at) || null,
    problem: null,
  };
}

/** Depth of every node: sources 0, a model one more than its deepest parent. */
export function layers(lineage: Lineage): Map<string, number> {
  const depth = new Map<string, number>(lineage.sources.map((s) => [s.id, 0]));
  const byId = new Map(lineage.models.map((m) => [m.id, m]));
  const visiting = new Set<string>();
  const visit = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const model = byId.get(id);
    if (!model || visiting.has(id)) return 0;
    visiting.add(id);
    const d = model.dependsOn.length
      ? 1 + Math.max(...model.dependsOn.map(visit))
      : lineage.sources.length
        ? 1
        : 0;
    visiting.delete(id);
    depth.set(id, d);
    return d;
  };
  for (const model of lineage.models) visit(model.id);
  return depth;
}
