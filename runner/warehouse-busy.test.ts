// `ownstats run` while another process (the dev server, a long query) has the warehouse open.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { heldByAnotherProcess } from "./lock.ts";
import { holdWarehouse, run, tempProject } from "./testkit.ts";

describe("a warehouse another process holds", () => {
  it("stops the run with a line that says so, keeping DuckDB's words the dev server looks for", async () => {
    const p = tempProject({ "m.sql": "select 1 as id" });
    const holder = await holdWarehouse(p.data);
    try {
      const { code, output } = await run("run", p);
      expect(code).toBe(1);
      expect(output).toContain(
        "Cannot build: another process has the warehouse open (a running `ownstats dev` builds the models itself",
      );
      expect(heldByAnotherProcess(output)).toBe(true);
      // The holder may be a build writing target/ itself: a refused one leaves it alone.
      expect(existsSync(join(p.data, "target"))).toBe(false);
    } finally {
      holder.release();
    }
  }, 30_000);
});
