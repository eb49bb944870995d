// target/manifest.json and target/run_results.json, close to dbt's shapes so existing tools can read them.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type CompiledProject, compiledPath, incrementalPath } from "./compile.ts";
import type { DataTest } from "./tests.ts";

export type NodeStatus = "success" | "error" | "skipped" | "pass" | "fail" | "warn";

export interface NodeResult {
  unique_id: string;
  name: string;
  resource_type: "model" | "test";
  materialized?: string;
  status: NodeStatus;
  timing: { name: "execute"; started_at: string; completed_at: string }[];
  thread_id: string;
  execution_time: number;
  message: string | null;
  failures: number | null;
  adapter_response: {
    rows_affected?: number;
    files_read?: number;
    mode?: "full" | "incremental";
    read_since?: string;
  };
  relation_name: string | null;
  original_file_path: string;
  /** The model file's line an error points to. */
  line?: number;
  compiled_path?: string;
}

export interface RunResults {
  metadata: { dbt_schema_version: string; generator: string; generated_at: string; invocation_id: string };
  args: {
    which: string;
    select?: string[];
    exclude?: string[];
    full_refresh: boolean;
    vars?: Record<string, unknown>;
  };
  elapsed_time: number;
  results: NodeResult[];
}

export interface ManifestNode {
  unique_id: string;
  resource_type: "model" | "test";
  name: string;
  package_name: string;
  original_file_path: string;
  relation_name: string | null;
  depends_on: { nodes: string[] };
  config: Record<string, unknown>;
  tags: string[];
  description: string;
  columns: Record<string, { name: string; description: string }>;
  /** For models: the generic tests attached to them. */
  tests?: string[];
  /** For tests: the model and column tested. */
  attached_node?: string | null;
  column_name?: string | null;
  test_kind?: string;
  compiled_path: string;
  compiled_incremental_path?: string;
}

export interface Manifest {
  metadata: { dbt_schema_version: string; generator: string; generated_at: string; project_name: string };
  nodes: Record<string, ManifestNode>;
  sources: Record<string, { unique_id: string; name: string; path: string; columns: Record<string, string> }>;
  parent_map: Record<string, string[]>;
  child_map: Record<string, string[]>;
}

export const modelId = (project: string, name: string) => `model.${project}.${name}`;
export const testId = (project: string, name: string) => `test.${project}.${name}`;

export function testParents(project: CompiledProject, test: DataTest): string[] {
  return test.parents.map((p) => modelId(project.name, p));
}

export function buildManifest(project: CompiledProject): Manifest {
  const nodes: Record<string, ManifestNode> = {};
  const testsOf = new Map<string, string[]>();
  for (const test of project.tests)
    if (test.model)
      testsOf.set(test.model, [...(testsOf.get(test.model) ?? []), testId(project.name, test.name)]);
  for (const m of project.models.values()) {
    const id = modelId(project.name, m.name);
    nodes[id] = {
      unique_id: id,
      resource_type: "model",
      name: m.name,
      package_name: project.name,
      original_file_path: m.file,
      // dbt gives ephemeral models no relation: they exist only inside a run.
      relation_name: m.config.materialized === "ephemeral" ? null : m.relation,
      depends_on: {
        nodes: [
          ...m.parents.map((p) => modelId(project.name, p)),
          ...m.sources.map((s) => `source.${project.name}.${s}`),
        ],
      },
      config: { ...m.config, unique_key: m.config.unique_key.join(",") || undefined },
      tags: m.config.tags,
      description: m.description ?? "",
      columns: Object.fromEntries(
        m.columns.map((c) => [c.name, { name: c.name, description: c.description ?? "" }]),
      ),
      tests: testsOf.get(m.name) ?? [],
      compiled_path: join("target", "compiled", compiledPath(m)),
      ...(m.incremental
        ? { compiled_incremental_path: join("target", "compiled", incrementalPath(compiledPath(m))) }
        : {}),
    };
  }
  for (const t of project.tests) {
    const id = testId(project.name, t.name);
    nodes[id] = {
      unique_id: id,
      resource_type: "test",
      name: t.name,
      package_name: project.name,
      original_file_path: t.file,
      relation_name: null,
      depends_on: { nodes: testParents(project, t) },
      config: { severity: t.severity },
      tags: [],
      description: "",
      columns: {},
      attached_node: t.model ? modelId(project.name, t.model) : null,
      column_name: t.column ?? null,
      test_kind: t.kind,
      compiled_path: join("target", "compiled", "tests", `${t.name}.sql`),
    };
  }
  const parent_map: Record<string, string[]> = {};
  const child_map: Record<string, string[]> = {};
  for (const node of Object.values(nodes)) {
    parent_map[node.unique_id] = node.depends_on.nodes;
    child_map[node.unique_id] ??= [];
    for (const p of node.depends_on.nodes) (child_map[p] ??= []).push(node.unique_id);
  }
  const sources = Object.fromEntries(
    Object.entries(project.config.sources).map(([name, s]) => {
      const id = `source.${project.name}.${name}`;
      return [id, { unique_id: id, name, path: s.path, columns: s.columns }];
    }),
  );
  return {
    metadata: {
      dbt_schema_version: "https://schemas.getdbt.com/dbt/manifest/v12.json",
      generator: "ownstats",
      generated_at: new Date().toISOString(),
      project_name: project.name,
    },
    nodes,
    sources,
    parent_map,
    child_map,
  };
}

export function writeJson(target: string, file: string, value: unknown): void {
  mkdirSync(target, { recursive: true });
  writeFileSync(join(target, file), `${JSON.stringify(value, null, 2)}\n`);
}

/** Reads `target/manifest.json` of a data folder (written by every run, build, test). */
export function readManifest(data: string): Manifest | undefined {
  return readJson<Manifest>(join(data, "target", "manifest.json"));
}

export function readRunResults(data: string): RunResults | undefined {
  return readJson<RunResults>(join(data, "target", "run_results.json"));
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch {
    return undefined;
  }
}
