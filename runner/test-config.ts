// A data test's config as dbt reads it: in schema.yml beside the test's arguments or under its
// config:, or in a singular test's {{config}}.
import type { CompiledProject } from "./compile.ts";
import { metaOf } from "./model-config.ts";
import { type ProjectError, splitTags } from "./project.ts";
import type { DataTest, Severity } from "./tests.ts";
import { thresholdKeys, thresholdsOf } from "./thresholds.ts";

export const testConfigKeys = [
  "severity",
  ...thresholdKeys,
  "enabled",
  "limit",
  "store_failures",
  "store_failures_as",
  "tags",
  "meta",
];

export type TestConfig = Pick<
  DataTest,
  "severity" | "warnIf" | "errorIf" | "limit" | "storeFailuresAs" | "storeFailuresWritten" | "tags" | "meta"
> & {
  /** dbt's enabled: a disabled test is left out, as if it were not written. */
  enabled: boolean;
};

/** The config of a test from where it is written, or the message saying what is wrong in it. */
export function readTestConfig(written: (key: string) => unknown): TestConfig | string {
  const thresholds = thresholdsOf(written);
  if (typeof thresholds === "string") return thresholds;
  // As dbt reads it, in either case; "error" when none is given.
  const severity = String(written("severity") ?? "error").toLowerCase();
  if (severity !== "warn" && severity !== "error")
    return `severity must be "warn" or "error", not "${severity}"`;
  const enabled = written("enabled") ?? true;
  if (typeof enabled !== "boolean")
    return `enabled must be true or false (unquoted), not ${JSON.stringify(enabled)}`;
  const limit = written("limit");
  if (limit !== undefined && !(Number.isInteger(limit) && (limit as number) > 0))
    return `limit must be a whole number of failing rows above 0, such as 1000, not ${JSON.stringify(limit)}`;
  const store = written("store_failures");
  if (store !== undefined && typeof store !== "boolean")
    return `store_failures must be true or false (unquoted), not ${JSON.stringify(store)}`;
  // As dbt: store_failures_as wins over store_failures, and "ephemeral" stores nothing.
  const storeAs = written("store_failures_as") ?? (store ? "table" : "ephemeral");
  if (storeAs !== "table" && storeAs !== "view" && storeAs !== "ephemeral")
    return `store_failures_as must be table, view or ephemeral, not ${JSON.stringify(storeAs)}`;
  const tags = written("tags");
  if (
    tags !== undefined &&
    typeof tags !== "string" &&
    !(Array.isArray(tags) && tags.every((tag) => typeof tag === "string"))
  )
    return `tags must be a text or a list of texts, such as [critical, nightly], not ${JSON.stringify(tags)}`;
  // As dbt's: what the user keeps about the test, for manifest.json; nothing run reads it.
  let metaProblem: string | undefined;
  const meta = metaOf(
    written("meta"),
    `meta: { owner: finance } (in a {{config}} line, meta="{owner: finance}")`,
    (message) => {
      metaProblem = message;
    },
  );
  if (metaProblem) return metaProblem;
  return {
    severity: severity as Severity,
    ...(tags === undefined ? {} : { tags: splitTags(tags) }),
    ...(meta === undefined ? {} : { meta }),
    ...thresholds,
    enabled,
    ...(limit === undefined ? {} : { limit: limit as number }),
    ...(storeAs === "ephemeral" ? {} : { storeFailuresAs: storeAs }),
    // As dbt: only a test that says neither follows the --store-failures flag.
    ...(store === undefined && written("store_failures_as") === undefined
      ? {}
      : { storeFailuresWritten: true }),
  };
}

/** The fields of a DataTest that its config sets (enabled decides whether there is a test at all). */
export function configuredFields({ enabled: _, ...fields }: TestConfig): Omit<TestConfig, "enabled"> {
  return fields;
}

/**
 * A test whose failures are kept as a view must not read an ephemeral model: the view would read
 * a relation that is gone once the run ends, and fail when the analyst queries it.
 */
export function storedViewErrors(tests: DataTest[], project: CompiledProject): ProjectError[] {
  return tests.flatMap((test) => {
    if (test.storeFailuresAs !== "view") return [];
    const ephemeral = test.parents.find((p) => project.models.get(p)?.config.materialized === "ephemeral");
    if (!ephemeral) return [];
    return [
      {
        file: test.file,
        line: test.line,
        message: `the test "${test.name}" keeps its failures as a view that reads the ephemeral model "${ephemeral}", which is gone once the run ends: store them as a table (store_failures_as: table)`,
      },
    ];
  });
}
