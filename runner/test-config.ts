// A data test's config as dbt reads it: in schema.yml beside the test's arguments or under its
// config:, or in a singular test's {{config}}.
import { type DataTest, type Severity } from "./tests.ts";
import { thresholdKeys, thresholdsOf } from "./thresholds.ts";

export const testConfigKeys = ["severity", ...thresholdKeys, "enabled"];

export type TestConfig = Pick<DataTest, "severity" | "warnIf" | "errorIf"> & {
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
  return { severity: severity as Severity, ...thresholds, enabled };
}
