// Reading a YAML file of the project: parse errors and schema mismatches become ProjectErrors naming
// the key and its line.
import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import type { z } from "zod";
import type { ProjectError } from "./project.ts";

/** Reads a YAML file and validates it; errors name the key and the line. */
export function readYaml<T>(
  path: string,
  display: string,
  schema: z.ZodType<T>,
  errors: ProjectError[],
): { value: T; lineOf: (path: PropertyKey[]) => number | undefined } | undefined {
  const text = readFileSync(path, "utf8");
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    // Without prettyErrors the parser leaves linePos out; the offset it always gives has the line.
    for (const e of doc.errors)
      errors.push({ file: display, line: text.slice(0, e.pos[0]).split("\n").length, message: e.message });
    return undefined;
  }
  const parsed = schema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.join(".") || "(top level)";
      // An unknown key's own line, rather than its parent's (the top of the file for a top-level key).
      const at = issue.code === "unrecognized_keys" ? [...issue.path, ...issue.keys.slice(0, 1)] : issue.path;
      errors.push({
        file: display,
        line: lineOf(doc, text, at),
        message: `${key}: ${issue.message}`,
      });
    }
    return undefined;
  }
  return { value: parsed.data, lineOf: (keys) => lineOf(doc, text, keys) };
}

/** The line of a key path in a YAML document, for error messages. */
function lineOf(
  doc: ReturnType<typeof parseDocument>,
  text: string,
  path: PropertyKey[],
): number | undefined {
  for (let n = path.length; n > 0; n--) {
    const node = doc.getIn(path.slice(0, n) as (string | number)[], true) as { range?: [number] } | undefined;
    const start = node?.range?.[0];
    if (start !== undefined) return text.slice(0, start).split("\n").length;
  }
  return undefined;
}
