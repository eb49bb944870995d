// A data test's config as dbt reads it: in schema.yml beside the test's arguments or under its
// config:, or in a singular test's {{config}}.
import { type DataTest, type Severity } from "./tests.ts";
import { thresholdKeys, thresholdsOf } from "./thresholds.ts";

export const testConfigKeys = ["severity", ...thresholdKeys, "enabled", "limit"];

export type TestConfig = Pick<DataTest, "severity" | "warnIf" | "errorIf" | "limit"> & {
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
  return {
    severity: severity as Severity,
    ...thresholds,
    enabled,
    ...(limit === undefined ? {} : { limit: limit as number }),
  };
}
