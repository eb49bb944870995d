// `ownstats query` on a data folder it may not write into (a read-only volume a warehouse was synced
// to, a folder of another user): it opens the warehouse read-only and answers, and a statement that
// writes is refused in one line that says why.
import { spawnSync } from "node:child_process";
import { chmodSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ownstatsUnder } from "../cli-run.ts";
import { holdWarehouse } from "../test/hold-warehouse.ts";
import { tempFolder } from "../test/temp-folders.ts";
import { readOnlyBindAt, withoutRoot } from "../test/user-namespace.ts";
import { query } from "./query.ts";
import { closeWarehouseFiles, openWarehouse } from "./warehouse.ts";

// A user namespace lets any user (root in CI, too) mount a folder read-only, or lose root's power to
// write anywhere, for the command alone.
const runs = (wrapper: string[]) =>
  process.platform === "linux" && spawnSync(wrapper[0] as string, [...wrapper.slice(1), "true"]).status === 0;
const noReadOnlyMount = "unshare cannot mount a folder read-only here";

/** A data folder with a built warehouse (t: answer 42), closed so that the command can open it. */
async function built(): Promise<string> {
  const data = tempFolder("ownstats-query-ro-");
  const wh = await openWarehouse(data);
  await wh.run("create table t as select 42 as answer");
  wh.close();
  await closeWarehouseFiles();
  return data;
}

const ask = (wrapper: string[], data: string, sql: string, ...args: string[]) =>
  ownstatsUnder(wrapper, {}, "query", sql, "--data", data, "--format", "csv", ...args);

// A sort DuckDB must spill to its temp folder: by default one beside the warehouse, in the data folder.
const spilling =
  "set memory_limit = '60MB'; set threads = 1; set preserve_insertion_order = false; " +
  "select count(*) as n from (select md5(i::varchar) as s from range(2000000) r(i) order by s)";

describe("ownstats query on a data folder it may not write into", () => {
  it("answers from a read-only mount, spills elsewhere, and refuses a statement that writes in one line", async (ctx) => {
    const data = await built();
    ctx.skip(!runs(readOnlyBindAt(data)), noReadOnlyMount);
    const readOnly = readOnlyBindAt(data);
    expect(await ask(readOnly, data, "select answer from t")).toMatchObject({
      code: 0,
      stdout: "answer\n42\n",
      stderr: "",
    });
    expect(await ask(readOnly, data, spilling)).toMatchObject({
      code: 0,
      stdout: "n\n2000000\n",
      stderr: "",
    });
    expect(await ask(readOnly, data, "create table x as select 1")).toMatchObject({
      code: 1,
      stderr: `ownstats query: cannot write into the data folder ${data}: its file system is read-only (EROFS), so the warehouse was opened read-only; mount its file system read-write to run a statement that writes\n`,
    });
  }, 60_000);

  it("answers from a folder of another user, and refuses a statement that writes in one line", async (ctx) => {
    ctx.skip(!runs(withoutRoot), "unshare cannot run a command without root's power here");
    const data = await built();
    chmodSync(join(data, "warehouse.duckdb"), 0o444);
    chmodSync(data, 0o555);
    try {
      expect(await ask(withoutRoot, data, "select answer from t")).toMatchObject({
        code: 0,
        stdout: "answer\n42\n",
        stderr: "",
      });
      expect(await ask(withoutRoot, data, "insert into t values (1)")).toMatchObject({
        code: 1,
        stderr: `ownstats query: cannot write into the data folder ${data}: permission is denied (EACCES), so the warehouse was opened read-only; let the user running ownstats write into ${data} to run a statement that writes\n`,
      });
    } finally {
      chmodSync(data, 0o755);
    }
  }, 60_000);

  // A read-only open takes a shared lock on the file (no lock file), which a build's lock excludes.
  it("waits on a read-only mount while a build holds the warehouse, then answers", async (ctx) => {
    const data = await built();
    ctx.skip(!runs(readOnlyBindAt(data)), noReadOnlyMount);
    // Held long enough for a command started in a new namespace on a busy machine to find it held.
    const { exited } = await holdWarehouse(data, 8000);
    expect(await ask(readOnlyBindAt(data), data, "select answer from t", "--wait", "40")).toMatchObject({
      code: 0,
      stdout: "answer\n42\n",
      stderr: "ownstats query: the warehouse is in use by another process (a build?); waiting for it\n",
    });
    await exited;
  }, 60_000);

  it("still runs a statement that writes on a writable folder", async () => {
    const data = await built();
    const out: string[] = [];
    const ask = (sql: string) => query(sql, { data, format: "csv", out: (t) => out.push(t) });
    expect(await ask("create table x as select 5 as v")).toBe(0);
    out.length = 0;
    expect(await ask("select v from x")).toBe(0);
    expect(out.join("\n")).toBe("v\n5");
  });
});
