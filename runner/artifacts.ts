// target/manifest.json in dbt's shape (manifest v12; run_results.json is in run-results.ts), so that
// tools written for dbt read it: the schema forbids keys it does not define, so this runner's own
// facts go where dbt has a place for them (the manifest node, a node's config). Its nodes and sources
// are built in manifest-nodes.ts.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CompiledProject } from "./compile.ts";
import {
  type ManifestMacro,
  type ManifestNode,
  type ManifestSource,
  macroId,
  macroNode,
  modelId,
  modelNode,
  sourceId,
  sourceNode,
  testId,
  testNode,
} from "./manifest-nodes.ts";

/** The dbt release whose artifact schemas these files follow; readers look at it to choose a parser. */
export const dbtVersion = "1.9.0";

type Empty = Record<string, never>;

/** What both artifacts' metadata hold; run_results.json has the invocation_id of its manifest. */
export interface ArtifactMetadata {
  dbt_schema_version: string;
  dbt_version: string;
  generated_at: string;
  invocation_id: string;
  env: Record<string, string>;
}

export interface Manifest {
  metadata: ArtifactMetadata & {
    project_name: string;
    project_id: string;
    user_id: null;
    send_anonymous_usage_stats: boolean;
    adapter_type: string;
  };
  nodes: Record<string, ManifestNode>;
  sources: Record<string, ManifestSource>;
  macros: Record<string, ManifestMacro>;
  docs: Empty;
  exposures: Empty;
  metrics: Empty;
  groups: Empty;
  selectors: Empty;
  /** As dbt's: each disabled node's unique_id, with the node (config.enabled false) in a list. */
  disabled: Record<string, ManifestNode[]>;
  parent_map: Record<string, string[]>;
  child_map: Record<string, string[]>;
  group_map: Empty;
  saved_queries: Empty;
  semantic_models: Empty;
  unit_tests: Empty;
}

export function buildManifest(project: CompiledProject): Manifest {
  const nodes: Record<string, ManifestNode> = {};
  for (const m of project.models.values()) nodes[modelId(project.name, m.name)] = modelNode(project, m);
  for (const t of project.tests) nodes[testId(project.name, t)] = testNode(project, t);
  const sources = Object.fromEntries(
    Object.keys(project.config.sources).map((name) => [
      sourceId(project.name, name),
      sourceNode(project, name),
    ]),
  );
  const macros = Object.fromEntries(
    Object.entries(project.macroFiles).map(([name, file]) => [
      macroId(project.name, name),
      macroNode(project, name, file),
    ]),
  );
  const parent_map: Record<string, string[]> = {};
  const child_map: Record<string, string[]> = {};
  for (const id of Object.keys(sources)) {
    parent_map[id] = [];
    child_map[id] = [];
  }
  for (const node of Object.values(nodes)) {
    parent_map[node.unique_id] = node.depends_on.nodes;
    child_map[node.unique_id] ??= [];
    for (const p of node.depends_on.nodes) (child_map[p] ??= []).push(node.unique_id);
  }
  return {
    metadata: {
      dbt_schema_version: "https://schemas.getdbt.com/dbt/manifest/v12.json",
      dbt_version: dbtVersion,
      generated_at: new Date().toISOString(),
      invocation_id: crypto.randomUUID(),
      env: {},
      project_name: project.name,
      // As dbt's: the project name's md5.
      project_id: createHash("md5").update(project.name).digest("hex"),
      user_id: null,
      send_anonymous_usage_stats: false,
      adapter_type: "duckdb",
    },
    nodes,
    sources,
    macros,
    docs: {},
    exposures: {},
    metrics: {},
    groups: {},
    selectors: {},
    disabled: Object.fromEntries([
      ...project.disabledModels.map((m) => [modelId(project.name, m.name), [modelNode(project, m)]]),
      ...project.disabledTests.map((t) => [testId(project.name, t), [testNode(project, t)]]),
    ]),
    parent_map,
    child_map,
    group_map: {},
    saved_queries: {},
    semantic_models: {},
    unit_tests: {},
  };
}

/**
 * Writes an artifact whole under a name of this process's own, then renames it into place: a reader at
 * that moment (`ownstats report` in another terminal while `dev` builds) sees the previous file or the
 * new one, never one cut short.
 */
export function writeJson(target: string, file: string, value: unknown): void {
  mkdirSync(target, { recursive: true });
  const partial = join(target, `.${file}.${process.pid}.tmp`);
  try {
    writeFileSync(partial, `${JSON.stringify(value, null, 2)}\n`);
    renameSync(partial, join(target, file));
  } catch (error) {
    // Each process has its own name: one left by every run a full disk stopped would hold its space
    // for good. A refused write names no file, so the artifact is named for the message.
    rmSync(partial, { force: true });
    const refused = error as NodeJS.ErrnoException;
    if (refused.code && refused.path === undefined) refused.path = join(target, file);
    throw error;
  }
}

/** Reads `target/manifest.json` of a data folder (written by every run, build, test). */
export function readManifest(data: string): Manifest | undefined {
  return readJson<Manifest>(join(data, "target", "manifest.json"));
}

export function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch {
    return undefined;
  }
}
