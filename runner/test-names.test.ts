// A generic test is named, and given a unique_id, as dbt-core names the same schema.yml entry, so that
// a tool reading dbt's artifacts, or an analyst used to dbt, finds the test under the same name. The
// expected names and hashes are dbt-core's own: its unit and functional tests', and its docs'.
import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildManifest } from "./artifacts.ts";
import { compileProject } from "./compile.ts";
import { genericTestHash, genericTestNames } from "./test-names.ts";
import { eventsSource, tempProject } from "./testkit.ts";

function manifestOf(files: Record<string, string>) {
  const p = tempProject(files, `name: snowplow\n${eventsSource}`);
  const project = compileProject(p.models);
  rmSync(p.root, { recursive: true, force: true });
  expect(project.errors).toEqual([]);
  return buildManifest(project);
}

const testIds = (manifest: ReturnType<typeof buildManifest>) =>
  Object.keys(manifest.nodes)
    .filter((id) => id.startsWith("test."))
    .sort();

describe("a generic test's name and unique_id", () => {
  it("are dbt-core's for accepted_values, not_null and unique, the hash included", () => {
    const manifest = manifestOf({
      "my_model.sql": "select 'red' as color",
      "model.sql": "select 1 as id",
      "table.sql": "select 'red' as color",
      "schema.yml": [
        "models:",
        "  - name: my_model",
        "    columns:",
        "      - name: color",
        "        tests:",
        "          - not_null: { severity: warn }",
        "          - accepted_values: { values: ['red', 'blue', 'green'] }",
        "  - name: model",
        "    columns:",
        "      - name: id",
        "        tests: [not_null, unique]",
        "  - name: table",
        "    columns:",
        "      - name: color",
        "        tests:",
        "          - accepted_values: { arguments: { values: [blue, red] }, config: { severity: warn } }",
      ].join("\n"),
    });
    expect(testIds(manifest)).toEqual(
      [
        // tests/functional/schema_tests/test_custom_test_config.py
        "test.snowplow.accepted_values_table_color__blue__red.9482147132",
        // tests/unit/parser/test_parser.py (test__parse_basic_model_tests)
        "test.snowplow.accepted_values_my_model_color__red__blue__green.9d4814efde",
        "test.snowplow.not_null_my_model_color.2f61818750",
        // tests/functional/artifacts/expected_manifest.py
        "test.snowplow.not_null_model_id.d01cc630e6",
        "test.snowplow.unique_model_id.67b76558ff",
      ].sort(),
    );
  });

  it("names relationships after its to: as written, so ref('model_a') is ref_model_a_", () => {
    const manifest = manifestOf({
      "model_a.sql": "select 1 as id",
      "model_b.sql": 'select id from {{ref "model_a"}}',
      "schema.yml": [
        "models:",
        "  - name: model_b",
        "    columns:",
        "      - name: id",
        "        tests:",
        "          - relationships: { to: ref('model_a'), field: id }",
      ].join("\n"),
    });
    // dbt's docs (defer): target/compiled/.../relationships_model_b_id__id__ref_model_a_.sql
    const [id] = testIds(manifest);
    expect(id).toMatch(/^test\.snowplow\.relationships_model_b_id__id__ref_model_a_\.[0-9a-f]{10}$/);
    expect(manifest.nodes[id ?? ""]?.path).toBe("relationships_model_b_id__id__ref_model_a_.sql");
  });

  it("past 63 characters keeps the full name and takes a prefix and its md5 as the file's and table's name", () => {
    const types = "page_view, cta_click, scroll_depth, time_on_page, form_start, form_submit, exit_intent";
    const manifest = manifestOf({
      "stg_events.sql": "select 'page_view' as event_type",
      "schema.yml": [
        "models:",
        "  - name: stg_events",
        "    columns:",
        "      - name: event_type",
        "        tests:",
        `          - accepted_values: { values: [${types}, experiment_exposure, custom], store_failures: true }`,
      ].join("\n"),
    });
    const full =
      "accepted_values_stg_events_event_type__page_view__cta_click__scroll_depth__time_on_page__form_start__form_submit__exit_intent__experiment_exposure__custom";
    const short = "accepted_values_stg_events_bb29f3ffe50f95344e77ddf6c2d98905";
    expect(testIds(manifest)).toEqual([`test.snowplow.${full}.4f262aa2e9`]);
    expect(manifest.nodes[`test.snowplow.${full}.4f262aa2e9`]).toMatchObject({
      name: full,
      alias: short,
      path: `${short}.sql`,
      relation_name: `"main_dbt_test__audit"."${short}"`,
    });
  });

  it("prints each value as Python does: booleans, None, numbers, quotes, a list or a mapping in a list", () => {
    const kwargs = {
      column_name: "c",
      values: [0.5, 0.00001, "it's", 'say "hi"', true, null, { a: 1 }, [1, "x"]],
    };
    const names = genericTestNames("accepted_values", "m", kwargs);
    expect(names).toEqual({
      name: "accepted_values_m_c__0_5__1e_05__it_s__say_hi___True__None___a_1____1_x_",
      alias: "accepted_values_m_329cc214fab7c3011574f3d27941d7fd",
    });
    expect(genericTestHash(names.name, "accepted_values", "m", kwargs)).toBe("01bf2bc8d4");
    const unquoted = { column_name: "n", values: [1, 2], quote: false };
    expect(genericTestNames("accepted_values", "visits", unquoted)).toEqual({
      name: "accepted_values_visits_n__False__1__2",
    });
    expect(
      genericTestHash("accepted_values_visits_n__False__1__2", "accepted_values", "visits", unquoted),
    ).toBe("43a58f54e3");
  });
});
