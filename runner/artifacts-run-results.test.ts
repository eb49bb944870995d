// target/run_results.json holds what dbt's published run-results v6 schema requires, and no key it
// forbids: the schema closes its objects (additionalProperties: false), so an extra key fails a
// validating reader.
import { beforeAll, describe, expect, it } from "vitest";
import { artifactMetadata, buildArtifactProject, type Json, problems, type Shape } from "./artifacts-kit.ts";

// run-results v6 (dbt's RunResultsArtifact, BaseArtifactMetadata, RunResultOutput, TimingInfo).
const runResultsShape: Shape = { required: ["metadata", "results", "elapsed_time"], optional: ["args"] };
const resultShape: Shape = {
  required: [
    "status",
    "timing",
    "thread_id",
    "execution_time",
    "adapter_response",
    "message",
    "failures",
    "unique_id",
    "compiled",
    "compiled_code",
    "relation_name",
  ],
  optional: ["batch_results"],
};
const timingShape: Shape = { required: ["name"], optional: ["started_at", "completed_at"] };

let manifest: Json;
let runResults: Json;
let code: number;
let output: string;

const results = () => runResults.results as Json[];
const result = (id: string) => results().find((r) => r.unique_id === id);

beforeAll(async () => {
  ({ code, output, manifest, runResults } = await buildArtifactProject());
});

describe("run_results.json", () => {
  it("has every key of run-results v6 and none it forbids", () => {
    expect(code).toBe(0);
    const found = [
      ...problems("run_results", runResults, runResultsShape),
      ...problems("metadata", runResults.metadata, artifactMetadata),
      ...results().flatMap((r) => [
        ...problems(String(r.unique_id), r, resultShape),
        ...(r.timing as unknown[]).flatMap((t) => problems(`${r.unique_id} timing`, t, timingShape)),
      ]),
    ];
    expect(found).toEqual([]);
    expect(results().map((r) => r.unique_id)).toEqual([
      "model.demo.stg",
      "model.demo.pages",
      "test.demo.unique_pages_page_path.2150cfadaa",
      "test.demo.accepted_values_pages_page_path___.20b4f76ce1",
      "test.demo.few_views",
    ]);
    expect(runResults.metadata).toMatchObject({
      dbt_schema_version: "https://schemas.getdbt.com/dbt/run-results/v6.json",
      dbt_version: expect.stringMatching(/^1\.\d+\.\d+$/),
      invocation_id: (manifest.metadata as Json).invocation_id,
    });
    expect(typeof runResults.elapsed_time).toBe("number");
  });

  it("gives each result its status, timing, failures, rows affected and compiled code", () => {
    expect(result("model.demo.pages")).toMatchObject({
      status: "success",
      thread_id: "Thread-1",
      failures: null,
      message: "OK",
      adapter_response: { rows_affected: 2, mode: "full" },
      compiled: true,
      compiled_code: expect.stringContaining('from main."stg" group by 1'),
      relation_name: 'main."pages"',
    });
    const timing = (result("model.demo.pages")?.timing as Json[])[0];
    expect(timing).toMatchObject({ name: "execute", started_at: expect.stringMatching(/Z$/) });
    expect(result("test.demo.unique_pages_page_path.2150cfadaa")).toMatchObject({
      status: "pass",
      failures: 0,
      message: null,
      adapter_response: {},
      compiled: true,
      compiled_code: expect.stringContaining("having count(*) > 1"),
      relation_name: null,
    });
    // A warning keeps the line the console names (models/schema.yml:9) in adapter_response.
    expect(output).toContain("Warning in test accepted_values_pages_page_path___ (models/schema.yml:9)");
    expect(result("test.demo.accepted_values_pages_page_path___.20b4f76ce1")).toMatchObject({
      status: "warn",
      failures: 1,
      // dbt's own words, which tools that read run_results.json show.
      message: "Got 1 result, configured to warn if != 0",
      adapter_response: { line: 9 },
    });
    expect(result("test.demo.few_views")).toMatchObject({
      status: "pass",
      compiled_code: 'select * from main."pages" where views > 100',
    });
  });
});
