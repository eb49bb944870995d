// target/run/: the SQL each model ran last, under the model's file path, as dbt keeps it.
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { CompiledProject } from "./compile.ts";
import { pruneFolder } from "./prune-folder.ts";
import { writeFileNamingRefusal } from "./refused-write.ts";

export function writeRunSql(target: string, file: string, sql: string): void {
  const path = join(target, "run", file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileNamingRefusal(path, `${sql}\n`);
}

/**
 * Removes the files of models that no longer exist (deleted or renamed), so that target/run describes
 * the project as it is; a model that this run does not select keeps the SQL of its last run.
 */
export function pruneRunSql(target: string, project: CompiledProject): void {
  const root = join(target, "run");
  pruneFolder(root, new Set([...project.models.values()].map((m) => join(root, m.file))));
}
