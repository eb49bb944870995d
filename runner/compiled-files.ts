// target/compiled/: each model's full and incremental query and each data test's, where the console
// and the artifacts point an analyst to read them.
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { CompiledProject, ModelNode } from "./compile.ts";
import { testAlias } from "./test-names.ts";
import type { DataTest } from "./tests.ts";

/**
 * Writes each model's compiled queries under target/compiled/ (sources shown as `{{source}}` text). They
 * are written whole into a folder of this process's own and then swapped in: two commands compiling
 * into one data folder at once (`ownstats ls` in a terminal while `ownstats dev` builds) would otherwise
 * remove each other's files mid-write, and one of them fail with ENOTEMPTY or ENOENT.
 */
export function writeCompiled(project: CompiledProject, target: string, show: (sql: string) => string): void {
  removeAbandoned(target);
  const staging = join(target, `${STAGING}${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    mkdirSync(staging, { recursive: true });
    writeInto(staging, project, show);
    swapIn(staging, join(target, "compiled"));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** What a compiling process names its own folders in target/ (with its pid), to be swapped in or removed. */
const STAGING = ".compiled-";

function writeInto(root: string, project: CompiledProject, show: (sql: string) => string): void {
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

/**
 * Puts `staging` in the place of `root`. Another process may put its own there between the two renames
 * (a folder cannot be renamed onto a folder that holds files): that one is moved aside in turn, so the
 * last to finish is what target/compiled holds, whole.
 */
function swapIn(staging: string, root: string): void {
  for (let attempt = 1; ; attempt++) {
    const aside = `${staging}-old`;
    try {
      renameSync(root, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    try {
      renameSync(staging, root);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== "ENOTEMPTY" && code !== "EEXIST") || attempt >= 20) throw error;
    } finally {
      rmSync(aside, { recursive: true, force: true });
    }
  }
}

/**
 * Removes the folders that a compiling process killed part-way left in target/: its pid no longer
 * runs, and a minute has passed (a pid of another machine's or container's process, sharing the
 * folder, means nothing here).
 */
function removeAbandoned(target: string): void {
  let names: string[];
  try {
    names = readdirSync(target);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = name.startsWith(STAGING) ? Number.parseInt(name.slice(STAGING.length), 10) : Number.NaN;
    const path = join(target, name);
    if (Number.isInteger(pid) && pid !== process.pid && !running(pid) && olderThanAMinute(path))
      rmSync(path, { recursive: true, force: true });
  }
}

function olderThanAMinute(path: string): boolean {
  const changed = statSync(path, { throwIfNoEntry: false })?.mtimeMs;
  return changed !== undefined && Date.now() - changed > 60_000;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: running, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
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
