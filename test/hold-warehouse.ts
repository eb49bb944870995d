// Another process holding a warehouse open read-write, as a build of `ownstats dev` does, for tests of
// what waits for it.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Starts a process that opens the warehouse in `data` (creating table t, answer 42), holds it for
 * `holdMs` and exits; resolves once it holds it.
 */
export async function holdWarehouse(data: string, holdMs: number) {
  const script = `
    import { DuckDBInstance } from "@duckdb/node-api";
    const instance = await DuckDBInstance.create(${JSON.stringify(join(data, "warehouse.duckdb"))});
    const connection = await instance.connect();
    await connection.run("create table if not exists t as select 42 as answer");
    console.log("held");
    setTimeout(() => { connection.closeSync(); instance.closeSync(); }, ${holdMs});
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = once(child, "exit");
  await new Promise<void>((held, failed) => {
    child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("held") && held());
    child.on("exit", (code) => failed(new Error(`the holding process exited (${code})`)));
  });
  return { child, exited };
}
