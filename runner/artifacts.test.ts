// target/manifest.json and target/run_results.json hold what dbt's published schemas for the versions
// they declare (manifest v12, run-results v6) require, and no key those schemas forbid: both schemas
// close their objects (additionalProperties: false), so an extra key fails a validating reader.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { event, run, type TempProject, tempProject, writeEvents } from "./testkit.ts";

type Json = Record<string, unknown>;

interface Shape {
  required: string[];
  /** Keys allowed besides the required ones. */
  optional: string[];
}

/** What is wrong with an object against a closed shape: missing required keys and keys not allowed. */
function problems(label: string, value: unknown, shape: Shape): string[] {
  if (!value || typeof value !== "object" || Array.isArray(value)) return [`${label}: not an object`];
  const keys = Object.keys(value);
  const allowed = new Set([...shape.required, ...shape.optional]);
  return [
    ...shape.required.filter((k) => !keys.includes(k)).map((k) => `${label}: no ${k}`),
    ...keys.filter((k) => !allowed.has(k)).map((k) => `${label}: ${k} is not allowed`),
  ];
}

// run-results v6 (dbt's RunResultsArtifact, BaseArtifactMetadata, RunResultOutput, TimingInfo).
const runResultsShape: Shape = { required: ["metadata", "results", "elapsed_time"], optional: ["args"] };
const artifactMetadata: Shape = {
  required: ["dbt_schema_version"],
  optional: ["dbt_version", "generated_at", "invocation_id", "invocation_started_at", "env"],
};
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

// manifest v12 (dbt's WritableManifest, ManifestMetadata, Model, GenericTest, SingularTest, SourceDefinition).
const manifestShape: Shape = {
  required: [
    "metadata",
    "nodes",
    "sources",
    "macros",
    "docs",
    "exposures",
    "metrics",
    "groups",
    "selectors",
    "disabled",
    "parent_map",
    "child_map",
    "group_map",
    "saved_queries",
    "semantic_models",
    "unit_tests",
  ],
  optional: [],
};
const manifestMetadata: Shape = {
  required: [],
  optional: [
    ...artifactMetadata.required,
    ...artifactMetadata.optional,
    "project_name",
    "project_id",
    "user_id",
    "send_anonymous_usage_stats",
    "adapter_type",
    "quoting",
  ],
};
/** What every resource of the manifest has, a node or a source. */
const resourceRequired = [
  "database",
  "schema",
  "name",
  "resource_type",
  "package_name",
  "path",
  "original_file_path",
  "unique_id",
  "fqn",
];
const nodeRequired = [...resourceRequired, "alias", "checksum"];
const compiledResource = [
  "config",
  "tags",
  "description",
  "columns",
  "meta",
  "group",
  "docs",
  "patch_path",
  "build_path",
  "unrendered_config",
  "created_at",
  "config_call_dict",
  "unrendered_config_call_dict",
  "relation_name",
  "raw_code",
  "language",
  "refs",
  "sources",
  "metrics",
  "depends_on",
  "compiled_path",
  "compiled",
  "compiled_code",
  "extra_ctes_injected",
  "extra_ctes",
  "contract",
];
const modelShape: Shape = {
  required: nodeRequired,
  optional: [
    ...compiledResource,
    "access",
    "constraints",
    "version",
    "latest_version",
    "deprecation_date",
    "defer_relation",
  ],
};
const singularTestShape: Shape = { required: nodeRequired, optional: compiledResource };
const genericTestShape: Shape = {
  required: [...nodeRequired, "test_metadata"],
  optional: [...compiledResource, "column_name", "file_key_name", "attached_node"],
};
const sourceShape: Shape = {
  required: [...resourceRequired, "source_name", "source_description", "loader", "identifier"],
  optional: [
    "quoting",
    "loaded_at_field",
    "freshness",
    "external",
    "description",
    "columns",
    "meta",
    "source_meta",
    "tags",
    "config",
    "patch_path",
    "unrendered_config",
    "relation_name",
    "created_at",
  ],
};
const columnShape: Shape = { required: ["name"], optional: ["description", "meta", "data_type", "tags"] };
const checksumShape: Shape = { required: ["name", "checksum"], optional: [] };
const dependsOnShape: Shape = { required: [], optional: ["macros", "nodes"] };
const testMetadataShape: Shape = { required: [], optional: ["name", "kwargs", "namespace"] };

let p: TempProject;
let manifest: Json;
let runResults: Json;
let code: number;
let output: string;

const readTarget = (file: string) => JSON.parse(readFileSync(join(p.data, "target", file), "utf8")) as Json;
const nodes = () => manifest.nodes as Record<string, Json>;
const sources = () => manifest.sources as Record<string, Json>;
const results = () => runResults.results as Json[];
const result = (id: string) => results().find((r) => r.unique_id === id);

beforeAll(async () => {
  p = tempProject({
    "staging/stg.sql": 'select event_id, page_path from {{source "events"}}',
    "marts/pages.sql":
      '{{config materialized="table"}}\nselect page_path, count(*) as views from {{ref "stg"}} group by 1',
    "schema.yml": [
      "models:",
      "  - name: pages",
      "    description: One row per page",
      "    columns:",
      "      - name: page_path",
      "        description: The path",
      "        tests:",
      "          - unique",
      "          - accepted_values: { values: ['/'], severity: warn }",
    ].join("\n"),
    "tests/few_views.sql": 'select * from {{ref "pages"}} where views > 100',
  });
  writeEvents(p.data, new Date("2026-03-01T05:00:00Z"), [
    event("a", "2026-03-01T05:10:00Z"),
    event("b", "2026-03-01T05:11:00Z", { page_path: "/pricing" }),
  ]);
  ({ code, output } = await run("build", p));
  manifest = readTarget("manifest.json");
  runResults = readTarget("run_results.json");
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
      "test.demo.unique_pages_page_path",
      "test.demo.accepted_values_pages_page_path",
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
    expect(result("test.demo.unique_pages_page_path")).toMatchObject({
      status: "pass",
      failures: 0,
      message: null,
      adapter_response: {},
      compiled: true,
      compiled_code: expect.stringContaining("having count(*) > 1"),
      relation_name: null,
    });
    // A warning keeps the line the console names (models/schema.yml:9) in adapter_response.
    expect(output).toContain("Warning in test accepted_values_pages_page_path (models/schema.yml:9)");
    expect(result("test.demo.accepted_values_pages_page_path")).toMatchObject({
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

describe("manifest.json", () => {
  it("has every key of manifest v12 and none it forbids, for models, tests and sources", () => {
    const shapes: Record<string, Shape> = {
      "model.demo.stg": modelShape,
      "model.demo.pages": modelShape,
      "test.demo.unique_pages_page_path": genericTestShape,
      "test.demo.accepted_values_pages_page_path": genericTestShape,
      "test.demo.few_views": singularTestShape,
    };
    expect(Object.keys(nodes()).sort()).toEqual(Object.keys(shapes).sort());
    expect(Object.keys(sources())).toEqual(["source.demo.events.events"]);
    const columns = (label: string, node: Json) =>
      Object.entries(node.columns as Record<string, Json>).flatMap(([name, c]) => [
        ...problems(`${label} column ${name}`, c, columnShape),
        ...(c.name === name ? [] : [`${label} column ${name}: named ${c.name}`]),
      ]);
    const found = [
      ...problems("manifest", manifest, manifestShape),
      ...problems("metadata", manifest.metadata, manifestMetadata),
      ...Object.entries(shapes).flatMap(([id, shape]) => {
        const node = nodes()[id] as Json;
        return [
          ...problems(id, node, shape),
          ...problems(`${id} checksum`, node.checksum, checksumShape),
          ...problems(`${id} depends_on`, node.depends_on, dependsOnShape),
          ...columns(id, node),
          ...(shape === genericTestShape
            ? problems(`${id} test_metadata`, node.test_metadata, testMetadataShape)
            : []),
        ];
      }),
      ...Object.entries(sources()).flatMap(([id, s]) => [...problems(id, s, sourceShape), ...columns(id, s)]),
    ];
    expect(found).toEqual([]);
    expect(manifest.metadata).toMatchObject({
      dbt_schema_version: "https://schemas.getdbt.com/dbt/manifest/v12.json",
      dbt_version: expect.stringMatching(/^1\.\d+\.\d+$/),
      invocation_id: expect.any(String),
      project_name: "demo",
      adapter_type: "duckdb",
    });
  });

  it("describes a model as dbt does, with where this runner keeps its own facts", () => {
    const pages = nodes()["model.demo.pages"] as Json;
    expect(pages).toMatchObject({
      database: "warehouse",
      schema: "main",
      name: "pages",
      resource_type: "model",
      package_name: "demo",
      path: "marts/pages.sql",
      original_file_path: "models/marts/pages.sql",
      fqn: ["demo", "marts", "pages"],
      alias: "pages",
      checksum: { name: "sha256", checksum: expect.stringMatching(/^[0-9a-f]{64}$/) },
      config: { enabled: true, materialized: "table", unique_key: null },
      description: "One row per page",
      columns: { page_path: { name: "page_path", description: "The path", data_type: null } },
      relation_name: 'main."pages"',
      raw_code: expect.stringContaining('{{ref "stg"}}'),
      depends_on: { macros: [], nodes: ["model.demo.stg"] },
      compiled_path: "target/compiled/models/marts/pages.sql",
    });
    expect(nodes()["model.demo.stg"]).toMatchObject({
      depends_on: { nodes: ["source.demo.events.events"] },
      sources: [["events", "events"]],
    });
  });

  it("gives a generic test dbt's test_metadata and a checksum of its query, with severity in capitals", () => {
    expect(nodes()["test.demo.accepted_values_pages_page_path"]).toMatchObject({
      resource_type: "test",
      original_file_path: "models/schema.yml",
      checksum: { name: "sha256", checksum: expect.stringMatching(/^[0-9a-f]{64}$/) },
      config: { severity: "WARN", materialized: "test" },
      test_metadata: {
        name: "accepted_values",
        kwargs: {
          values: ["/"],
          column_name: "page_path",
          model: "{{ get_where_subquery(ref('pages')) }}",
        },
        namespace: null,
      },
      column_name: "page_path",
      attached_node: "model.demo.pages",
      depends_on: { nodes: ["model.demo.pages"] },
    });
    expect(nodes()["test.demo.unique_pages_page_path"]).toMatchObject({ config: { severity: "ERROR" } });
    const singular = nodes()["test.demo.few_views"] as Json;
    expect(singular).toMatchObject({
      path: "tests/few_views.sql",
      original_file_path: "models/tests/few_views.sql",
      fqn: ["demo", "tests", "few_views"],
      checksum: { name: "sha256" },
      config: { severity: "ERROR" },
      depends_on: { nodes: ["model.demo.pages"] },
      compiled_path: "target/compiled/tests/few_views.sql",
    });
    expect(singular).not.toHaveProperty("test_metadata");
    expect(singular).not.toHaveProperty("attached_node");
  });

  it("describes a source as dbt's SourceDefinition, its columns typed, in both maps", () => {
    expect(sources()["source.demo.events.events"]).toMatchObject({
      resource_type: "source",
      name: "events",
      source_name: "events",
      identifier: "events",
      package_name: "demo",
      original_file_path: "models/project.yml",
      fqn: ["demo", "events", "events"],
      external: {
        location: "raw",
        file_format: "ndjson",
        partitions: expect.arrayContaining([
          { name: "hour", data_type: "INTEGER", description: "", meta: {} },
        ]),
      },
      columns: {
        event_id: { name: "event_id", data_type: "VARCHAR", description: "", meta: {}, tags: [] },
        scroll_pct: { name: "scroll_pct", data_type: "INTEGER" },
      },
    });
    const parents = manifest.parent_map as Record<string, string[]>;
    const children = manifest.child_map as Record<string, string[]>;
    expect(parents["source.demo.events.events"]).toEqual([]);
    expect(children["source.demo.events.events"]).toEqual(["model.demo.stg"]);
    for (const id of [...Object.keys(nodes()), ...Object.keys(sources())]) {
      expect(parents[id], id).toBeDefined();
      expect(children[id], id).toBeDefined();
    }
    expect(children["model.demo.pages"]).toEqual([
      "test.demo.unique_pages_page_path",
      "test.demo.accepted_values_pages_page_path",
      "test.demo.few_views",
    ]);
  });
});
