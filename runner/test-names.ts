// A generic test's name and unique_id as dbt-core makes them from the same schema.yml entry, so that
// run_results.json, manifest.json, a selector and a stored-failures table name the test as dbt does
// (dbt's synthesize_generic_test_names, and the hash of its test_metadata in create_test_node).
import { createHash } from "node:crypto";

const md5 = (text: string) => createHash("md5").update(text, "utf8").digest("hex");

/** dbt's longest name for a compiled file or table: past it, a prefix and the full name's md5. */
const longestAlias = 63;

export interface GenericTestNames {
  /** The node's name: its unique_id, fqn, console line and what a selector matches. */
  name: string;
  /** Set when the name is too long: the name of its compiled file and of its stored failures. */
  alias?: string;
}

/**
 * `{kind}_{model}_{arguments}`: the arguments (column_name among them) in the order of their names,
 * a list's or a mapping's values one by one, each as Python prints it with every run of other
 * characters than letters, digits and _ made one _, joined by __.
 */
export function genericTestNames(
  kind: string,
  model: string,
  kwargs: Record<string, unknown>,
): GenericTestNames {
  const parts = Object.keys(kwargs)
    .sort()
    .flatMap((key) => {
      const value = kwargs[key];
      if (Array.isArray(value)) return value;
      return isMapping(value) ? Object.values(value) : [value];
    });
  const identifier = `${kind}_${model}`;
  const name = `${identifier}_${parts.map((part) => pythonStr(part).replace(/[^0-9a-zA-Z_]+/g, "_")).join("__")}`;
  return name.length <= longestAlias ? { name } : { name, alias: `${identifier.slice(0, 30)}_${md5(name)}` };
}

/**
 * The last ten hex digits of the md5 of the name and the test's metadata (its kwargs with the model as
 * dbt writes it), each value as Python's str() and the whole as Python's repr() print them.
 */
export function genericTestHash(
  name: string,
  kind: string,
  model: string,
  kwargs: Record<string, unknown>,
): string {
  const metadata = {
    kwargs: { ...kwargs, model: `{{ get_where_subquery(ref('${model}')) }}` },
    name: kind,
    namespace: null,
  };
  return md5(`${name}${pythonRepr(hashable(metadata))}`).slice(-10);
}

/** dbt's get_hashable_md: mappings with their keys in order, lists kept, every other value as str(). */
function hashable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hashable);
  if (isMapping(value))
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, hashable(value[key])]),
    );
  return pythonStr(value);
}

/** Python's str() of a value YAML gave: a string as it is, anything else as repr() prints it. */
function pythonStr(value: unknown): string {
  return typeof value === "string" ? value : pythonRepr(value);
}

function pythonRepr(value: unknown): string {
  if (typeof value === "string") return pythonQuote(value);
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return pythonNumber(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(", ")}]`;
  if (isMapping(value))
    return `{${Object.entries(value)
      .map(([key, item]) => `${pythonQuote(key)}: ${pythonRepr(item)}`)
      .join(", ")}}`;
  return String(value);
}

/** Python's repr() of a string: single quotes, unless it holds a ' and no ". */
function pythonQuote(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "\\" || ch === quote) out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || (code >= 0x7f && code <= 0xa0) || code === 0xad)
      out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `${quote}${out}${quote}`;
}

/**
 * A whole number as Python's int prints it (YAML's 1.0 reaches here as 1, so it prints as 1, where
 * dbt, which keeps it a float, prints 1.0); a fraction as Python's float does, with its exponent
 * below 1e-4 and from 1e16, of at least two digits.
 */
function pythonNumber(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (Number.isInteger(value)) return BigInt(value).toString();
  const [mantissa, exponent] = value.toExponential().split("e") as [string, string];
  const power = Number(exponent);
  if (power >= -4 && power < 16) return String(value);
  return `${mantissa}e${power < 0 ? "-" : "+"}${String(Math.abs(power)).padStart(2, "0")}`;
}

/** A YAML mapping (not a list, not null). */
export const isMapping = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === "object" && !Array.isArray(value);

/** The name of a test's compiled file and of its stored failures: its alias, else its name. */
export const testAlias = (test: { name: string; alias?: string }): string => test.alias ?? test.name;
