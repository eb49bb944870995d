// --vars against the variables project.yml declares with their defaults.
import type { ProjectError } from "./project.ts";

type Kind = "a list" | "a mapping" | "a single value";

const kindOf = (value: unknown): Kind =>
  Array.isArray(value)
    ? "a list"
    : value !== null && typeof value === "object"
      ? "a mapping"
      : "a single value";

/**
 * Unlike dbt, which takes any key, vars are declared with their defaults: a key that none declares
 * (anomaly_zz) would be read by nothing, and the run would go on with the default. A value of
 * another shape than its default (`conversion_events: cta_click` for a list) would reach the SQL as
 * a text where the model expects a list, and fail there with a type error.
 */
export function varsErrors(
  declared: Record<string, unknown>,
  given: Record<string, unknown>,
): ProjectError[] {
  const names = Object.keys(declared);
  const errors: ProjectError[] = [];
  for (const [key, value] of Object.entries(given)) {
    if (!Object.hasOwn(declared, key)) {
      errors.push({
        file: "--vars",
        message: `unknown variable "${key}" (project.yml vars: ${names.join(", ") || "none"}); a new variable is declared in project.yml with its default`,
      });
      continue;
    }
    const fallback = declared[key];
    // A null default says nothing of the shape; a null value is SQL's NULL, as YAML's null is.
    if (fallback === null || value === null) continue;
    const expected = kindOf(fallback);
    if (kindOf(value) !== expected)
      errors.push({
        file: "--vars",
        message: `variable "${key}" is ${expected} in project.yml (${JSON.stringify(fallback)}), so --vars must give ${expected} too, not ${JSON.stringify(value)}`,
      });
  }
  return errors;
}
