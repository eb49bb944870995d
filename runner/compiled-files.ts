// target/compiled/: each model's full and incremental query and each data test's, where the console
// and the artifacts point an analyst to read them.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { CompiledProject, ModelNode } from "./compile.ts";
import { testAlias } from "./test-names.ts";
import type { DataTest } from "./tests.ts";

/** Writes each model's compiled queries under target/compiled/ (sources shown as `{{source}}` text). */
export function writeCompiled(project: CompiledProject, target: string, show: (sql: string) => string): void {
  const root = join(target, "compiled");
  rmSync(root, { recursive: true, force: true });
  for (const model of project.models.values()) {
    const base = join(root, compiledPath(model));
    mkdirSync(dirname(base), { recursive: true });
    writeFileSync(base, `${show(model.full.sql)}\n`);
    if (model.incremental) writeFileSync(incrementalPath(base), `${show(model.incremental.sql)}\n`);
  }
  for (const test of project.tests) {
    const path = join(root, compiledTestPath(test));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${show(test.sql)}\n`);
  }
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
