// target/run/: the SQL each model ran last, under the model's file path, as dbt keeps it.
import { existsSync, mkdirSync, readdirSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { CompiledProject } from "./compile.ts";

export function writeRunSql(target: string, file: string, sql: string): void {
  const path = join(target, "run", file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${sql}\n`);
}

/**
 * Removes the files of models that no longer exist (deleted or renamed), so that target/run describes
 * the project as it is; a model that this run does not select keeps the SQL of its last run.
 */
export function pruneRunSql(target: string, project: CompiledProject): void {
  const root = join(target, "run");
  if (!existsSync(root)) return;
  const current = new Set([...project.models.values()].map((m) => join(root, m.file)));
  const entries = readdirSync(root, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile() && !current.has(path)) rmSync(path);
  }
  // Deepest first, so that a folder emptied of its folders goes too.
  const folders = entries.filter((e) => e.isDirectory()).map((e) => join(e.parentPath, e.name));
  for (const folder of folders.sort((a, b) => b.length - a.length))
    if (readdirSync(folder).length === 0) rmdirSync(folder);
}
