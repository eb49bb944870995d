// target/run_results.json in dbt's shape (run-results v6): the schema forbids keys it does not define,
// so the runner's own facts about a result go in adapter_response, an open object.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type ArtifactMetadata, dbtVersion, readJson, readManifest } from "./artifacts.ts";
import type { MacroLine } from "./template-lines.ts";

export type NodeStatus = "success" | "error" | "skipped" | "pass" | "fail" | "warn";

/** An open object in dbt's schema: what the warehouse did for the node. */
export interface AdapterResponse {
  rows_affected?: number;
  files_read?: number;
  mode?: "full" | "incremental";
  read_since?: string;
  /** For a node that failed, erred or warned: the line of its file the console names. */
  line?: number;
  /**
   * When a macro wrote the line that failed: the macro's file and line, then those of the macros that
   * include it (innermost first); `line` is then the line of the node's file that includes it.
   */
  macro_lines?: MacroLine[];
}

/** One result in run_results.json, dbt's RunResultOutput: these keys and no others. */
export interface RunResultOutput {
  status: NodeStatus;
  timing: { name: "execute"; started_at: string; completed_at: string }[];
  thread_id: string;
  execution_time: number;
  adapter_response: AdapterResponse;
  message: string | null;
  failures: number | null;
  unique_id: string;
  compiled: boolean | null;
  /** The query as run: for a model built, the one under target/run/; else the compiled one. */
  compiled_code: string | null;
  relation_name: string | null;
}

/**
 * A result as the run keeps it for the console: the file's fields but the compiled code, and the node's
 * name, kind and file (in the file they are the manifest node's).
 */
export interface NodeResult extends Omit<RunResultOutput, "compiled" | "compiled_code"> {
  name: string;
  resource_type: "model" | "test";
  materialized?: string;
  original_file_path: string;
  /** The file's line an error points to (a test's: where it is declared). */
  line?: number;
  /** When a macro wrote the line an error points to: as adapter_response.macro_lines. */
  macroLines?: MacroLine[];
  /** Under the data folder. */
  compiled_path: string;
  /** For a model: this run wrote the query it ran (or that failed) under target/run/. */
  ran?: boolean;
}

export interface RunResults {
  metadata: ArtifactMetadata;
  results: RunResultOutput[];
  elapsed_time: number;
  args: {
    which: string;
    select?: string[];
    exclude?: string[];
    selector?: string;
    indirect_selection?: string;
    state?: string;
    full_refresh: boolean;
    empty?: boolean;
    store_failures?: boolean;
    fail_fast?: boolean;
    vars?: Record<string, unknown>;
  };
}

/** The statuses whose line the console names (and run_results.json keeps in adapter_response). */
const flagged = new Set<NodeStatus>(["error", "fail", "warn"]);

/** A result as run_results.json holds it; the compiled code is read back from target/. */
export function runResultOutput(data: string, r: NodeResult): RunResultOutput {
  // A model built wrote the query it ran (its sources pruned for an incremental run) under target/run/,
  // and so did one whose query failed: its incremental query, when that is the one that failed.
  const path =
    r.resource_type === "model" && (r.status === "success" || r.ran)
      ? join("target", "run", r.original_file_path)
      : r.compiled_path;
  let code: string | null;
  try {
    code = readFileSync(join(data, path), "utf8").replace(/\n$/, "");
  } catch {
    code = null;
  }
  return {
    status: r.status,
    timing: r.timing,
    thread_id: r.thread_id,
    execution_time: r.execution_time,
    adapter_response: {
      ...r.adapter_response,
      ...(r.line !== undefined && flagged.has(r.status) ? { line: r.line } : {}),
      ...(r.macroLines && flagged.has(r.status) ? { macro_lines: r.macroLines } : {}),
    },
    message: r.message,
    failures: r.failures,
    unique_id: r.unique_id,
    compiled: code !== null,
    compiled_code: code,
    relation_name: r.relation_name,
  };
}

/** run_results.json of a command over DATA, with the invocation id of the manifest it wrote. */
export function buildRunResults(
  data: string,
  results: NodeResult[],
  elapsed: number,
  args: RunResults["args"],
): RunResults {
  return {
    metadata: {
      dbt_schema_version: "https://schemas.getdbt.com/dbt/run-results/v6.json",
      dbt_version: dbtVersion,
      generated_at: new Date().toISOString(),
      invocation_id: readManifest(data)?.metadata.invocation_id ?? crypto.randomUUID(),
      env: {},
    },
    results: results.map((r) => runResultOutput(data, r)),
    elapsed_time: elapsed,
    args,
  };
}

export function readRunResults(data: string): RunResults | undefined {
  return readJson<RunResults>(join(data, "target", "run_results.json"));
}
