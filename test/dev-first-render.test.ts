// The first start of `ownstats dev`: the moment the reports' overview appears, a click on its SQL
// page finds everything that page loads (the DuckDB engine and the marts' data), instead of a page
// whose engine is still being installed.
import { rmSync } from "node:fs";
import { expect, it } from "vitest";
import { startDev } from "./dev-server.ts";

it("serves the SQL page's engine and data as soon as the overview is there", async () => {
  const dev = await startDev(["--no-demo"]);
  try {
    for (let ready = false; !ready; await new Promise((r) => setTimeout(r, 20)))
      ready = (await fetch(`${dev.url}/reports/`)).status === 200;
    const loaded = await Promise.all(
      ["sql.html", "duckdb/duckdb-wasm.js", "duckdb/duckdb-eh.wasm", "data/daily.parquet"].map(
        async (file) => {
          const res = await fetch(`${dev.url}/reports/${file}`, { method: "HEAD" });
          return `${file} ${res.status}`;
        },
      ),
    );
    expect(loaded).toEqual([
      "sql.html 200",
      "duckdb/duckdb-wasm.js 200",
      "duckdb/duckdb-eh.wasm 200",
      "data/daily.parquet 200",
    ]);
  } finally {
    await dev.stop();
    rmSync(dev.data, { recursive: true, force: true });
  }
}, 60_000);
