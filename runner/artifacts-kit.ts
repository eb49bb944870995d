// For the artifact tests: dbt's published schemas as closed shapes, and the build of a small project
// (a staging model, a mart with generic tests, a singular test) whose target/ they check.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { event, run, tempProject, writeEvents } from "./testkit.ts";

export type Json = Record<string, unknown>;

export interface Shape {
  required: string[];
  /** Keys allowed besides the required ones. */
  optional: string[];
}

/** What is wrong with an object against a closed shape: missing required keys and keys not allowed. */
export function problems(label: string, value: unknown, shape: Shape): string[] {
  if (!value || typeof value !== "object" || Array.isArray(value)) return [`${label}: not an object`];
  const keys = Object.keys(value);
  const allowed = new Set([...shape.required, ...shape.optional]);
  return [
    ...shape.required.filter((k) => !keys.includes(k)).map((k) => `${label}: no ${k}`),
    ...keys.filter((k) => !allowed.has(k)).map((k) => `${label}: ${k} is not allowed`),
  ];
}

/** dbt's BaseArtifactMetadata, which both artifacts' metadata extend. */
export const artifactMetadata: Shape = {
  required: ["dbt_schema_version"],
  optional: ["dbt_version", "generated_at", "invocation_id", "invocation_started_at", "env"],
};

/** Builds the project; what the build printed and returned, and the two artifacts it wrote. */
export async function buildArtifactProject(): Promise<{
  code: number;
  output: string;
  manifest: Json;
  runResults: Json;
}> {
  const p = tempProject({
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
  const { code, output } = await run("build", p);
  const readTarget = (file: string) => JSON.parse(readFileSync(join(p.data, "target", file), "utf8")) as Json;
  return { code, output, manifest: readTarget("manifest.json"), runResults: readTarget("run_results.json") };
}
