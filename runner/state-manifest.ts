// The previous manifest.json that dbt's --state names, for the state: selector (slim CI). A folder or
// manifest that cannot be read is a usage error naming the path: comparing with nothing would select
// every node as new, and a CI job would quietly build the whole project.
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Manifest } from "./artifacts.ts";

export class StateError extends Error {}

/** The manifest in `folder`, checked to be one: an object with `nodes`. */
export function readStateManifest(folder: string): Manifest {
  const path = join(folder, "manifest.json");
  if (!existsSync(folder)) throw new StateError(`--state ${folder}: no such folder`);
  if (!statSync(folder).isDirectory())
    throw new StateError(
      basename(folder) === "manifest.json"
        ? `--state takes the folder that holds manifest.json: --state ${dirname(folder)}`
        : `--state ${folder} is a file; give the folder that holds the earlier manifest.json`,
    );
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new StateError(
      `--state ${folder}: cannot read ${path} (${reason}); the folder must hold the manifest.json of the run to compare with (DATA/target/manifest.json)`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new StateError(`--state ${folder}: ${path} is not valid JSON (${(error as Error).message})`);
  }
  const nodes = (parsed as { nodes?: unknown } | null)?.nodes;
  if (!parsed || typeof parsed !== "object" || !nodes || typeof nodes !== "object")
    throw new StateError(`--state ${folder}: ${path} is not a dbt manifest (it has no "nodes")`);
  return parsed as Manifest;
}
