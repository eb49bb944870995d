// Reading a YAML file of the project: parse errors and schema mismatches become ProjectErrors naming
// the key and its line.
import { readFileSync } from "node:fs";
import { isMap, isScalar, parseDocument } from "yaml";
import type { z } from "zod";
import type { ProjectError } from "./project.ts";
import { didYouMean } from "./suggest.ts";
import { dbtYamlOptions, keysAsWritten } from "./yaml-booleans.ts";

/** Reads a YAML file and validates it; errors name the key and the line. */
export function readYaml<T>(
  path: string,
  display: string,
  schema: z.ZodType<T>,
  errors: ProjectError[],
  /**
   * What an unknown key, by its dotted path (a list item's index as "*"), means here: dbt's name for
   * something spelt otherwise, or a key dbt's users write in another place.
   */
  dbtKeys: Record<string, string> = {},
):
  | {
      value: T;
      lineOf: (path: PropertyKey[]) => number | undefined;
      /** The line of a key itself, where lineOf gives its value's (a block's first item). */
      keyLineOf: (parent: PropertyKey[], key: string) => number | undefined;
    }
  | undefined {
  const text = readFileSync(path, "utf8");
  const doc = parseDocument(text, { ...dbtYamlOptions, prettyErrors: false });
  if (doc.errors.length > 0) {
    // Without prettyErrors the parser leaves linePos out; the offset it always gives has the line.
    for (const e of doc.errors)
      errors.push({ file: display, line: text.slice(0, e.pos[0]).split("\n").length, message: e.message });
    return undefined;
  }
  keysAsWritten(doc);
  const parsed = schema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.join(".") || "(top level)";
      if (issue.code === "unrecognized_keys") {
        // The unknown key's own line, rather than its value's or its parent's, and what it may have meant.
        const [unknown = ""] = issue.keys;
        // A list item's index is "*" in dbtKeys: models.*.tags is every model's.
        const dotted = (k: string) =>
          [...issue.path, k].map((step) => (typeof step === "number" ? "*" : String(step))).join(".");
        const dbtKey = issue.keys.find((k) => dbtKeys[dotted(k)] !== undefined);
        const meant =
          dbtKey === undefined
            ? meantKey(unknown, keysAt(schema, issue.path))
            : ` (${dbtKeys[dotted(dbtKey)]})`;
        errors.push({
          file: display,
          line: keyLine(doc, text, issue.path, dbtKey ?? unknown) ?? lineOf(doc, text, issue.path),
          message: `${key}: ${issue.message}${meant}`,
        });
        continue;
      }
      errors.push({
        file: display,
        line: lineOf(doc, text, issue.path),
        message: `${key}: ${issue.message}${booleanWordHint(doc, issue.path)}`,
      });
    }
    return undefined;
  }
  return {
    value: parsed.data,
    lineOf: (keys) => lineOf(doc, text, keys),
    keyLineOf: (parent, key) => keyLine(doc, text, parent, key),
  };
}

/** Why a value that should be a text is true or false: a plain no (Norway's code, a column) is YAML 1.1's false. */
function booleanWordHint(doc: ReturnType<typeof parseDocument>, path: PropertyKey[]): string {
  const node = doc.getIn(path as (string | number)[], true);
  if (!isScalar(node) || typeof node.value !== "boolean" || typeof node.source !== "string") return "";
  if (!/^(yes|no|on|off)$/i.test(node.source)) return "";
  return ` (an unquoted ${node.source} is ${node.value} in YAML 1.1, as dbt reads it: quote it, '${node.source}', for the text)`;
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

/** The line of a key itself (a block value such as a list starts on the line after it). */
function keyLine(
  doc: ReturnType<typeof parseDocument>,
  text: string,
  parent: PropertyKey[],
  key: string,
): number | undefined {
  const map = (parent.length ? doc.getIn(parent as (string | number)[], true) : doc.contents) as unknown;
  if (!isMap(map)) return undefined;
  const pair = map.items.find((item) => isScalar(item.key) && item.key.value === key);
  const start = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
  return start === undefined ? undefined : text.slice(0, start).split("\n").length;
}

/** The keys the schema takes at a path of the document, where it is a mapping of named keys. */
function keysAt(schema: z.ZodType, path: PropertyKey[]): string[] {
  // Zod's definitions, as far as a walk down the project's schemas needs them.
  type Def = {
    type: string;
    innerType?: Node;
    shape?: Record<string, Node>;
    element?: Node;
    valueType?: Node;
  };
  type Node = { def: Def };
  const unwrap = (node: Node | undefined) => {
    let n = node;
    while (n?.def.innerType) n = n.def.innerType;
    return n;
  };
  let node = unwrap(schema as unknown as Node);
  for (const step of path) {
    const def = node?.def;
    node = unwrap(def?.shape?.[String(step)] ?? def?.element ?? def?.valueType);
  }
  return Object.keys(node?.def.shape ?? {});
}

function meantKey(unknown: string, known: string[]): string {
  if (known.length === 0) return "";
  return didYouMean(unknown, known) || ` (it takes: ${known.join(", ")})`;
}
