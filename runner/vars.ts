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
 * YAML reads `{anomaly_z:2}` as one key, "anomaly_z:2", with no value: a colon ends a key only with a
 * space after it (or after a quoted key, as in JSON). Such a key is named with the way to write it.
 */
function unknownVariable(key: string, names: string[]): string {
  const [name, ...rest] = key.split(":");
  if (name !== undefined && rest.length > 0 && names.includes(name.trim()))
    return `unknown variable "${key}": YAML takes a colon for part of the name unless a space follows it; write {${name.trim()}: ${rest.join(":")}}`;
  return `unknown variable "${key}" (project.yml vars: ${names.join(", ") || "none"}); a new variable is declared in project.yml with its default`;
}

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
      errors.push({ file: "--vars", message: unknownVariable(key, names) });
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
    // A flag given as a text ('no', "false") would be a text, which {{#if}} takes as true: silently on.
    else if (typeof fallback === "boolean" && typeof value !== "boolean")
      errors.push({
        file: "--vars",
        message: `variable "${key}" is true or false in project.yml (${fallback}), so --vars must give true or false (unquoted; yes, no, on and off too), not ${JSON.stringify(value)}`,
      });
    // A number given as a text ("3") reaches the SQL quoted: compared as a text, or cast at run time.
    else if (typeof fallback === "number" && typeof value !== "number")
      errors.push({
        file: "--vars",
        message: `variable "${key}" is a number in project.yml (${fallback}), so --vars must give a number (unquoted), not ${JSON.stringify(value)}`,
      });
  }
  if (Object.hasOwn(declared, "timezone")) {
    const overridden = Object.hasOwn(given, "timezone");
    const problem = timeZoneProblem(overridden ? given.timezone : declared.timezone);
    if (problem)
      errors.push({
        file: overridden ? "--vars" : "project.yml",
        message: `variable "timezone": ${problem}`,
      });
  }
  return errors;
}

/**
 * Why a value is not an IANA time zone name, or undefined when it is one. The models count days in
 * var timezone: DuckDB would refuse an unknown zone only inside the first model that converts, as a
 * SQL error, and a wrongly cased one (europe/berlin) would label every report time in that spelling.
 */
export function timeZoneProblem(value: unknown): string | undefined {
  const example = "an IANA time zone name such as Europe/Berlin, America/Los_Angeles or UTC";
  if (typeof value !== "string" || !/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(value))
    return `${JSON.stringify(value)} is not ${example}`;
  let known: string;
  try {
    known = new Intl.DateTimeFormat("en", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return `"${value}" is not a known time zone; give ${example}`;
  }
  if (known !== value && known.toLowerCase() === value.toLowerCase()) return `"${value}" is spelt "${known}"`;
  return undefined;
}
