// Handlebars in a schema.yml test's SQL arguments (where:, an expression column_name), rendered as
// in a model, as dbt renders the Jinja there: where: "day >= {{var \"start_day\"}}" tests from that day.
import type { CompiledProject } from "./compile.ts";
import { renderTemplate } from "./template.ts";

/** The argument with its {{var}}s rendered, or what is wrong in it. */
export function renderedArgument(
  key: string,
  text: string,
  model: string,
  project: CompiledProject,
): { sql: string } | { error: string } {
  if (!text.includes("{{")) return { sql: text };
  const rendered = renderTemplate({
    text,
    vars: project.vars,
    isIncremental: false,
    self: project.relationOf(model),
    relationOf: project.relationOf,
    knownSources: new Set(),
  });
  const [first] = rendered.errors;
  if (first) return { error: `${key}: ${first.message}` };
  // The test would read them without waiting for their build.
  if (rendered.refs.length > 0)
    return {
      error: `${key}: a {{ref}} in a test's argument is not read here: write the check as a singular test in models/tests/`,
    };
  return { sql: rendered.sql.trim() };
}
