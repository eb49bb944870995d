// dbt's selectors.yml (beside project.yml): named selections for --selector, in dbt's simple forms: a
// selector string, `method`/`value` (with parents, children and their depths), a `tag: x` key-value
// pair, `union`/`intersection` lists with `exclude` items, and `method: selector` (another selector's
// selection, as it is). An error names the file, the key and its line.
import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import { z } from "zod";
import type { ProjectError } from "./project.ts";
import { type IndirectSelection, indirectSelections } from "./select-indirect.ts";
import { readYaml } from "./yaml-file.ts";

/** A definition read: selector strings as the command line takes them, combined. */
export type Definition =
  | { text: string; at: string; line?: number; indirect?: IndirectSelection }
  /** dbt's selector inheritance: `method: selector` / `value: name`, the other selector's whole selection. */
  | { selector: string; at: string; line?: number }
  | { op: "union" | "intersection"; items: Definition[]; exclude: Definition[] };

export interface SelectorsFile {
  /** The file as messages name it, e.g. `models/selectors.yml`. */
  display: string;
  selectors: Map<string, Definition>;
  /** The selector marked `default: true` (one at most), which a command given no selection applies. */
  defaultName?: string;
}

const fileSchema = z
  .object({
    selectors: z.array(
      z
        .object({
          name: z.string().min(1),
          description: z.string().optional(),
          default: z.boolean().optional(),
          definition: z.custom<unknown>((v) => v !== undefined, {
            message: "missing: give the selection (a selector string, method/value, union or intersection)",
          }),
        })
        .strict(),
    ),
  })
  .strict();

const graphKeys = ["children", "parents", "childrens_parents", "children_depth", "parents_depth"];

export const selectorsPath = (modelsDir: string) => join(modelsDir, "selectors.yml");

/** Reads models/selectors.yml; undefined (with `errors`) when it cannot be read. */
export function readSelectorsFile(modelsDir: string, errors: ProjectError[]): SelectorsFile | undefined {
  const path = selectorsPath(modelsDir);
  const display = `${basename(modelsDir) || "models"}/selectors.yml`;
  if (!existsSync(path)) return undefined;
  const loaded = readYaml(path, display, fileSchema, errors);
  if (!loaded) return undefined;
  const selectors = new Map<string, Definition>();
  const before = errors.length;
  const fail: Fail = (keys, message) => errors.push({ file: display, line: loaded.lineOf(keys), message });
  const read = { fail, lineOf: loaded.lineOf };
  for (const [i, s] of loaded.value.selectors.entries()) {
    if (selectors.has(s.name)) fail(["selectors", i, "name"], `two selectors are named "${s.name}"`);
    const definition = parseDefinition(s.definition, ["selectors", i, "definition"], s.name, read);
    if (definition) selectors.set(s.name, definition);
  }
  // As dbt: one default at most, or a command given no selection could not tell which one it runs.
  const defaults = loaded.value.selectors.flatMap((s, i) => (s.default ? [{ name: s.name, i }] : []));
  for (const extra of defaults.slice(1))
    fail(
      ["selectors", extra.i, "default"],
      `selectors.${extra.i}.default: selectors "${defaults[0]?.name}" and "${extra.name}" are both default: true; only one selector may be the default`,
    );
  if (errors.length > before) return undefined;
  return { display, selectors, defaultName: defaults[0]?.name };
}

type Fail = (keys: PropertyKey[], message: string) => void;
interface Reading {
  fail: Fail;
  lineOf: (keys: PropertyKey[]) => number | undefined;
}

function parseDefinition(
  value: unknown,
  keys: PropertyKey[],
  name: string,
  read: Reading,
): Definition | undefined {
  const { fail } = read;
  const at = `selector "${name}" (${keys.slice(2).join(".")})`;
  const key = keys.slice(2).join(".");
  if (typeof value === "string") {
    if (value.trim() === "") return void fail(keys, `${key}: an empty selector`);
    return { text: value, at, line: read.lineOf(keys) };
  }
  if (!value || typeof value !== "object" || Array.isArray(value))
    return void fail(keys, `${key}: expected a selector string, method/value, union or intersection`);
  const entries = Object.entries(value as Record<string, unknown>);
  const op = entries.find(([k]) => k === "union" || k === "intersection")?.[0] as
    | "union"
    | "intersection"
    | undefined;
  if (op) return parseSet(op, value as Record<string, unknown>, keys, name, read);
  if ("method" in value) {
    if (value.method === "selector") return parseInherited(value as Record<string, unknown>, keys, at, read);
    return parseMethod(value as Record<string, unknown>, keys, at, read);
  }
  if (entries.length === 1 && entries[0]?.[0] !== "exclude") {
    // dbt's key-value form: `tag: nightly`.
    const [method, v] = entries[0] as [string, unknown];
    if (typeof v !== "string" && typeof v !== "number")
      return void fail([...keys, method], `${key}.${method}: expected a value such as "nightly"`);
    if (method === "selector") return parseInherited({ method, value: v }, keys, at, read);
    return { text: `${method}:${v}`, at, line: read.lineOf([...keys, method]) };
  }
  return void fail(keys, `${key}: expected a selector string, method/value, union or intersection`);
}

function parseSet(
  op: "union" | "intersection",
  value: Record<string, unknown>,
  keys: PropertyKey[],
  name: string,
  read: Reading,
): Definition | undefined {
  const { fail } = read;
  const key = keys.slice(2).join(".");
  const other = Object.keys(value).find((k) => k !== op);
  if (other) return void fail([...keys, other], `${key}: ${op} takes no "${other}" beside it`);
  const list = value[op];
  if (!Array.isArray(list) || list.length === 0)
    return void fail([...keys, op], `${key}.${op}: expected a list of definitions`);
  const items: Definition[] = [];
  const exclude: Definition[] = [];
  let ok = true;
  for (const [i, item] of list.entries()) {
    const path = [...keys, op, i];
    const isExclude = item && typeof item === "object" && !Array.isArray(item) && "exclude" in item;
    const excluded = isExclude ? (item as { exclude: unknown }).exclude : undefined;
    if (isExclude && !(Array.isArray(excluded) && excluded.length > 0)) {
      fail([...path, "exclude"], `${path.slice(2).join(".")}.exclude: expected a list of definitions`);
      ok = false;
      continue;
    }
    const parsed = isExclude
      ? (excluded as unknown[]).map((e, j) => parseDefinition(e, [...path, "exclude", j], name, read))
      : [parseDefinition(item, path, name, read)];
    for (const d of parsed) if (d) (isExclude ? exclude : items).push(d);
    ok &&= parsed.every(Boolean);
  }
  if (!ok) return undefined;
  if (items.length === 0) return void fail([...keys, op], `${key}.${op}: it holds only exclude items`);
  return { op, items, exclude };
}

/**
 * dbt's selector inheritance: `method: selector` reuses another selector's selection as it is; as in
 * dbt, parents, children or indirect_selection cannot modify it.
 */
function parseInherited(value: Record<string, unknown>, keys: PropertyKey[], at: string, read: Reading) {
  const key = keys.slice(2).join(".");
  const other = Object.keys(value).find((k) => k !== "method" && k !== "value");
  if (other)
    return void read.fail(
      [...keys, other],
      `${key}: "${other}" cannot modify method: selector, which takes another selector's selection as it is (define a selector with ${other} instead)`,
    );
  if (typeof value.value !== "string" || value.value === "")
    return void read.fail([...keys, "value"], `${key}.value: expected the name of another selector`);
  return { selector: value.value, at, line: read.lineOf(keys) };
}

/** `method`/`value` with dbt's graph keys, as the selector string the command line takes. */
function parseMethod(value: Record<string, unknown>, keys: PropertyKey[], at: string, read: Reading) {
  const { fail } = read;
  const key = keys.slice(2).join(".");
  const unknown = Object.keys(value).find(
    (k) => !["method", "value", "indirect_selection", ...graphKeys].includes(k),
  );
  if (unknown)
    return void fail(
      [...keys, unknown],
      `${key}: unknown key "${unknown}" (it takes method, value, ${graphKeys.join(", ")}, indirect_selection)`,
    );
  const { method, value: v, children, parents, childrens_parents: both, indirect_selection } = value;
  if (typeof method !== "string" || method === "")
    return void fail([...keys, "method"], `${key}.method: expected a method such as tag`);
  if (typeof v !== "string" && typeof v !== "number")
    return void fail([...keys, "value"], `${key}.value: expected a value such as "nightly"`);
  const indirect = indirect_selection as IndirectSelection | undefined;
  if (indirect !== undefined && !indirectSelections.includes(indirect))
    return void fail(
      [...keys, "indirect_selection"],
      `${key}.indirect_selection: expected one of ${indirectSelections.join(", ")}`,
    );
  for (const flag of ["children", "parents", "childrens_parents"])
    if (value[flag] !== undefined && typeof value[flag] !== "boolean")
      return void fail([...keys, flag], `${key}.${flag}: expected true or false`);
  const depth = (k: string) => {
    const d = value[k];
    if (d === undefined) return "";
    if (typeof d === "number" && Number.isInteger(d) && d >= 0) return String(d);
    fail([...keys, k], `${key}.${k}: expected a whole number of steps`);
    return undefined;
  };
  const up = depth("parents_depth");
  const down = depth("children_depth");
  if (up === undefined || down === undefined) return undefined;
  const body = `${method}:${v}`;
  const line = read.lineOf([...keys, "method"]);
  if (both === true) return { text: `@${body}`, at, line, indirect };
  return {
    text: `${parents === true || up ? `${up}+` : ""}${body}${children === true || down ? `+${down}` : ""}`,
    at,
    line,
    indirect,
  };
}
