// The manifest's generic tests carry their arguments in test_metadata.kwargs, and its macros list
// models/macros/, as dbt writes them, so that tools reading dbt's manifest see what a test checks.
import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildManifest } from "./artifacts.ts";
import { compileProject } from "./compile.ts";
import { eventsSource, tempProject, writeFiles } from "./testkit.ts";

type Manifest = ReturnType<typeof buildManifest>;

function kwargsOf(manifest: Manifest, name: string) {
  const node = Object.values(manifest.nodes).find((n) => n.name === name);
  return node && "test_metadata" in node ? node.test_metadata?.kwargs : undefined;
}

function manifestOf(files: Record<string, string>) {
  const p = tempProject(files);
  const project = compileProject(p.models);
  expect(project.errors).toEqual([]);
  return buildManifest(project);
}

describe("a generic test's test_metadata", () => {
  const manifest = manifestOf({
    "staging/stg.sql": 'select event_id, session_id, page_path from {{source "events"}}',
    "marts/visits.sql": 'select session_id, count(*) as n from {{ref "stg"}} group by 1',
    "schema.yml": [
      "models:",
      "  - name: stg",
      "    columns:",
      "      - name: page_path",
      "        tests:",
      "          - accepted_values: { values: ['/', '/pricing'] }",
      "      - name: event_id",
      "        tests:",
      "          - not_null",
      "  - name: visits",
      "    columns:",
      "      - name: session_id",
      "        tests:",
      "          - relationships: { to: stg, field: session_id }",
      "      - name: n",
      "        tests:",
      "          - accepted_values: { values: [1, 2], quote: false }",
    ].join("\n"),
  });
  const kwargs = (name: string) => kwargsOf(manifest, name);

  it("holds accepted_values' values, and quote where it is given", () => {
    expect(kwargs("accepted_values_stg_page_path______pricing")).toEqual({
      values: ["/", "/pricing"],
      column_name: "page_path",
      model: "{{ get_where_subquery(ref('stg')) }}",
    });
    expect(kwargs("accepted_values_visits_n__False__1__2")).toEqual({
      values: [1, 2],
      quote: false,
      column_name: "n",
      model: "{{ get_where_subquery(ref('visits')) }}",
    });
  });

  it("holds relationships' to as dbt's ref string and its field", () => {
    expect(kwargs("relationships_visits_session_id__session_id__stg")).toEqual({
      to: "ref('stg')",
      field: "session_id",
      column_name: "session_id",
      model: "{{ get_where_subquery(ref('visits')) }}",
    });
  });

  it("holds only the column and the model for a test without arguments", () => {
    expect(kwargs("not_null_stg_event_id")).toEqual({
      column_name: "event_id",
      model: "{{ get_where_subquery(ref('stg')) }}",
    });
  });

  it("writes to as ref('x') whether schema.yml names the model or its ref", () => {
    const m = manifestOf({
      "a.sql": "select 1 as id",
      "b.sql": 'select id from {{ref "a"}}',
      "schema.yml": [
        "models:",
        "  - name: b",
        "    columns:",
        "      - name: id",
        "        tests:",
        "          - relationships: { to: \"ref('a')\", field: id }",
      ].join("\n"),
    });
    expect(kwargsOf(m, "relationships_b_id__id__ref_a_")).toMatchObject({
      to: "ref('a')",
      field: "id",
    });
  });
});

describe("the manifest's macros", () => {
  const macroText = "{{!-- The visited pages. --}}\npage_path is not null\n";
  const manifest = manifestOf({
    "macros/visited.sql": macroText,
    "stg.sql": 'select page_path from {{source "events"}} where {{> visited}}',
  });

  it("has one entry per models/macros/*.sql, in dbt's Macro shape, and no node for it", () => {
    expect(Object.keys(manifest.macros)).toEqual(["macro.demo.visited"]);
    expect(manifest.macros["macro.demo.visited"]).toEqual({
      name: "visited",
      resource_type: "macro",
      package_name: "demo",
      path: "macros/visited.sql",
      original_file_path: "models/macros/visited.sql",
      unique_id: "macro.demo.visited",
      macro_sql: macroText,
      depends_on: { macros: [] },
      description: "",
      meta: {},
      docs: { show: true, node_color: null },
      patch_path: null,
      arguments: [],
      created_at: expect.any(Number),
      supported_languages: null,
    });
    expect(Object.keys(manifest.nodes)).toEqual(["model.demo.stg"]);
    expect(manifest.parent_map).not.toHaveProperty("macro.demo.visited");
  });

  it("names the macros a model or a singular test includes in its depends_on, also through another macro", () => {
    const uses = manifestOf({
      "macros/visited.sql": macroText,
      "macros/visited_pages.sql": 'select page_path from {{ref "stg"}} where {{> visited}}',
      "stg.sql": 'select page_path from {{source "events"}}',
      "pages.sql": "{{> visited_pages}}",
      "tests/no_pages.sql": "{{> visited_pages}} and false",
    });
    expect(uses.nodes["model.demo.stg"]?.depends_on.macros).toEqual([]);
    expect(uses.nodes["model.demo.pages"]?.depends_on.macros).toEqual([
      "macro.demo.visited_pages",
      "macro.demo.visited",
    ]);
    expect(uses.nodes["test.demo.no_pages"]?.depends_on.macros).toEqual([
      "macro.demo.visited_pages",
      "macro.demo.visited",
    ]);
  });

  it("is empty for a project without macros", () => {
    expect(manifestOf({ "stg.sql": "select 1 as id" }).macros).toEqual({});
  });
});

describe("a model's meta", () => {
  it("is carried from schema.yml to the node, its config and its columns, as dbt's", () => {
    const p = tempProject({
      "orders.sql": "select 1 as id",
      "schema.yml": [
        "models:",
        "  - name: orders",
        "    meta: { owner: finance, contains_pii: true }",
        "    columns:",
        "      - name: id",
        "        meta: { dimension: { type: number } }",
      ].join("\n"),
    });
    const node = buildManifest(compileProject(p.models)).nodes["model.demo.orders"];
    rmSync(p.root, { recursive: true, force: true });
    expect(node?.meta).toEqual({ owner: "finance", contains_pii: true });
    expect(node?.config.meta).toEqual({ owner: "finance", contains_pii: true });
    expect(node?.columns.id?.meta).toEqual({ dimension: { type: "number" } });
  });

  it("is taken from a model's config too, as dbt's config(meta=...): its folder's, schema.yml's config: and its own {{config}}, merged key by key", () => {
    const p = tempProject(
      {
        "marts/orders.sql": '{{config materialized="table" meta="{owner: sales, tier: 1}"}}\nselect 1 as id',
        "marts/refunds.sql": "select 1 as id",
        "schema.yml": [
          "models:",
          "  - name: orders",
          "    meta: { contains_pii: true }",
          "    config:",
          "      meta: { owner: finance, sla: daily }",
          "  - name: refunds",
          "    config: { meta: { sla: hourly } }",
        ].join("\n"),
      },
      `name: demo\nfolders:\n  marts: { meta: { team: analytics, owner: nobody } }\n${eventsSource}`,
    );
    const project = compileProject(p.models);
    expect(project.errors).toEqual([]);
    const nodes = buildManifest(project).nodes;
    const orders = nodes["model.demo.orders"];
    const meta = { team: "analytics", owner: "sales", contains_pii: true, sla: "daily", tier: 1 };
    expect(orders?.meta).toEqual(meta);
    expect(orders?.config.meta).toEqual(meta);
    expect(nodes["model.demo.refunds"]?.config.meta).toEqual({
      team: "analytics",
      owner: "nobody",
      sla: "hourly",
    });
    writeFiles(p.models, {
      "marts/refunds.sql": '{{config meta="owner"}}\nselect 1 as id',
      "schema.yml": "models:\n  - name: orders\n    config:\n      meta: [owner]\n",
    });
    expect(compileProject(p.models).errors.map((e) => `${e.file}:${e.line} ${e.message}`)).toEqual([
      'models/schema.yml:4 meta must be a mapping, such as meta: { owner: finance }, not ["owner"]',
      'models/marts/refunds.sql:1 meta must be a mapping, such as meta="{owner: finance}", not "owner"',
    ]);
    rmSync(p.root, { recursive: true, force: true });
  });
});

describe("a data test's meta", () => {
  it("is taken from its config, beside its arguments, a singular test's {{config}} or data_tests: +meta, as dbt's", () => {
    const p = tempProject(
      {
        "orders.sql": "select 1 as id",
        "tests/few.sql": '{{config meta="{owner: qa}"}}\nselect * from {{ref "orders"}} where id > 1',
        "schema.yml": [
          "models:",
          "  - name: orders",
          "    columns:",
          "      - name: id",
          "        tests:",
          "          - not_null: { config: { meta: { owner: finance } } }",
          "          - unique: { meta: { ticket: 12 } }",
          "          - accepted_values: { values: [1] }",
        ].join("\n"),
      },
      `name: demo\ndata_tests:\n  +meta: { owner: data }\n${eventsSource}`,
    );
    const project = compileProject(p.models);
    expect(project.errors).toEqual([]);
    const nodes = buildManifest(project).nodes;
    const metaOf = (name: string) => {
      const node = Object.values(nodes).find((n) => n.name === name);
      return [node?.meta, node?.config.meta];
    };
    expect(metaOf("not_null_orders_id")).toEqual([{ owner: "finance" }, { owner: "finance" }]);
    expect(metaOf("unique_orders_id")).toEqual([{ ticket: 12 }, { ticket: 12 }]);
    expect(metaOf("accepted_values_orders_id__1")).toEqual([{ owner: "data" }, { owner: "data" }]);
    expect(metaOf("few")).toEqual([{ owner: "qa" }, { owner: "qa" }]);
    writeFiles(p.models, { "tests/few.sql": '{{config meta="qa"}}\nselect 1 as id' });
    expect(compileProject(p.models).errors.map((e) => `${e.file}:${e.line} ${e.message}`)).toEqual([
      'models/tests/few.sql:1 meta must be a mapping, such as meta: { owner: finance } (in a {{config}} line, meta="{owner: finance}"), not "qa"',
    ]);
    rmSync(p.root, { recursive: true, force: true });
  });
});
