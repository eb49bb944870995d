// target/manifest.json holds what dbt's published manifest v12 schema requires, and no key it
// forbids: the schema closes its objects (additionalProperties: false), so an extra key fails a
// validating reader.
import { beforeAll, describe, expect, it } from "vitest";
import { artifactMetadata, buildArtifactProject, type Json, problems, type Shape } from "./artifacts-kit.ts";

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

let manifest: Json;

const nodes = () => manifest.nodes as Record<string, Json>;
const sources = () => manifest.sources as Record<string, Json>;

beforeAll(async () => {
  ({ manifest } = await buildArtifactProject());
});

describe("manifest.json", () => {
  it("has every key of manifest v12 and none it forbids, for models, tests and sources", () => {
    const shapes: Record<string, Shape> = {
      "model.demo.stg": modelShape,
      "model.demo.pages": modelShape,
      "test.demo.unique_pages_page_path.2150cfadaa": genericTestShape,
      "test.demo.accepted_values_pages_page_path___.20b4f76ce1": genericTestShape,
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
    expect(nodes()["test.demo.accepted_values_pages_page_path___.20b4f76ce1"]).toMatchObject({
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
    expect(nodes()["test.demo.unique_pages_page_path.2150cfadaa"]).toMatchObject({
      config: { severity: "ERROR" },
    });
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
      "test.demo.unique_pages_page_path.2150cfadaa",
      "test.demo.accepted_values_pages_page_path___.20b4f76ce1",
      "test.demo.few_views",
    ]);
  });
});
