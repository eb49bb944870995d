// target/compiled/: each model's full and incremental query and each data test's, where the console
// and the artifacts point an analyst to read them.
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { CompiledProject, ModelNode } from "./compile.ts";
import { pruneFolder } from "./prune-folder.ts";
import { writeFileNamingRefusal } from "./refused-write.ts";
import { testAlias } from "./test-names.ts";
import type { DataTest } from "./tests.ts";

/**
 * Writes each model's compiled queries under target/compiled/ (sources shown as `{{source}}` text),
 * then removes those of models and tests that are gone. Written over in place, never removed as a
 * whole: two commands compiling into one data folder at once (`ownstats ls` in a terminal while
 * `ownstats dev` builds) would otherwise remove each other's files mid-write, and one of them fail
 * with ENOTEMPTY or ENOENT.
 */
export function writeCompiled(project: CompiledProject, target: string, show: (sql: string) => string): void {
  const root = join(target, "compiled");
  const written = new Set<string>();
  const write = (path: string, sql: string) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileNamingRefusal(path, `${show(sql)}\n`);
    written.add(path);
  };
  for (const model of project.models.values()) {
    const base = join(root, compiledPath(model));
    write(base, model.full.sql);
    if (model.incremental) write(incrementalPath(base), model.incremental.sql);
  }
  for (const test of project.tests) write(join(root, compiledTestPath(test)), test.sql);
  pruneFolder(root, written);
}

export function compiledPath(model: Pick<ModelNode, "file">): string {
  return model.file;
}

/** A data test's compiled query, under target/compiled/. */
export function compiledTestPath(test: Pick<DataTest, "name" | "alias">): string {
  return join("tests", `${testAlias(test)}.sql`);
}

export function incrementalPath(path: string): string {
  return path.replace(/\.sql$/, ".incremental.sql");
}
