// Ctrl-C during a run, as a user presses it: the running query is cancelled, the rest is skipped, and
// the summary and run_results.json say what was built.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { summaryLines } from "./console.ts";
import type { NodeResult, NodeStatus, RunResults } from "./run-results.ts";
import { interruptAt, tempProject } from "./testkit.ts";

describe("an interrupted run", () => {
  it("cancels the running model on Ctrl-C, skips the rest, writes its results and exits 130", async () => {
    const p = tempProject({
      "fast.sql": '{{config materialized="table"}}\nselect 1 as id',
      // Long enough to be running when the signal comes.
      "slow.sql":
        '{{config materialized="table"}}\nselect sum(a.range * b.range) as s from range(1000000) a, range(1000000) b, {{ref "fast"}}',
      "after.sql": 'select * from {{ref "slow"}}',
    });
    const { code, output } = await interruptAt(
      ["run", "--data", p.data, "--models", p.models],
      "START sql table model main.slow",
    );
    expect(code, output).toBe(130);
    expect(output).toMatch(/OK created sql table model main\.fast/);
    expect(output).toMatch(/ERROR creating sql table model main\.slow/);
    expect(output).toContain("Done. PASS=1 WARN=0 ERROR=1 SKIP=1 TOTAL=3");
    expect(output).toContain("Exited because of keyboard interrupt");
    const results = JSON.parse(readFileSync(`${p.data}/target/run_results.json`, "utf8")) as RunResults;
    expect(results.results.map((r) => [r.unique_id, r.status])).toEqual([
      ["model.demo.fast", "success"],
      ["model.demo.slow", "error"],
      ["model.demo.after", "skipped"],
    ]);
  }, 60_000);

  // The signal may come between two nodes, with no query to cancel: nothing failed, yet most did not run.
  it("never says it completed successfully when the signal came between two nodes", () => {
    const result = (name: string, status: NodeStatus): NodeResult => ({
      name,
      status,
      resource_type: "model",
      materialized: "table",
      original_file_path: `models/${name}.sql`,
      compiled_path: `target/compiled/models/${name}.sql`,
      unique_id: `model.demo.${name}`,
      timing: [],
      thread_id: "Thread-1",
      execution_time: 0,
      adapter_response: {},
      message: null,
      failures: null,
      relation_name: null,
    });
    const results = [result("fast", "success"), result("slow", "skipped"), result("after", "skipped")];
    const interrupted = summaryLines(results, 1, true);
    expect(interrupted).not.toContain("Completed successfully");
    expect(interrupted).toContain("Interrupted: 2 nodes of 3 not run");
    expect(interrupted).toContain("Done. PASS=1 WARN=0 ERROR=0 SKIP=2 TOTAL=3");
    expect(summaryLines(results.slice(0, 1), 1)).toContain("Completed successfully");
  });
});
