// The selector methods, as dbt reads them: what `method:value` matches, and what to say when it
// matches nothing.
import { basename } from "node:path";
import type { GraphNode } from "./graph.ts";
import { SelectorError } from "./select-error.ts";
import { stateMatcher } from "./select-state.ts";
import type { StateChange } from "./state-compare.ts";
import { didYouMean } from "./suggest.ts";

export { SelectorError };

export interface Matcher {
  node: (node: GraphNode) => boolean;
  /** For the methods that reach a source (which does not run, but is the parent of its readers). */
  sources?: (name: string) => boolean;
  /** Why nothing matched, for the warning. */
  none: string;
}

/**
 * A source, as a selector reaches it: not a node that runs, but the parent of the nodes that read
 * it, so that `source:events+` takes them and their descendants, as in dbt.
 */
export const sourceKey = (name: string) => `source:${name}`;

const methods =
  "a name, fqn:, tag:, path:, file:, package:, config.<key>:, resource_type:, test_type:, test_name:, result:, source:, state:, selector:";
const statuses = ["success", "error", "skipped", "pass", "fail", "warn"];
// dbt's resource types that a project of this runner never has: selecting them matches nothing.
const absentTypes = [
  "seed",
  "snapshot",
  "analysis",
  "exposure",
  "metric",
  "saved_query",
  "semantic_model",
  "unit_test",
];
const testTypes: Record<string, "generic" | "singular"> = {
  generic: "generic",
  singular: "singular",
  // dbt's older name for generic tests (data, once singular, is every data test since dbt 1.8).
  schema: "generic",
};

/** A shell-style pattern (`*`, `?`) as an anchored regular expression. */
function glob(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`);
}

/**
 * Throws a SelectorError naming what is wrong when the method or its value is not one dbt has.
 * `sourceState` is how each source differs from the --state manifest's, and unset without --state.
 */
export function matcherOf(
  method: string,
  value: string,
  raw: string,
  all: GraphNode[],
  sourceState?: ReadonlyMap<string, StateChange[]>,
): Matcher {
  const pattern = glob(value);
  const meant = (names: string[]) => didYouMean(value, names);
  if (method.startsWith("config.")) {
    const key = method.slice("config.".length);
    return {
      node: (n) => configValues(n.config?.[key]).some((v) => pattern.test(v)),
      none:
        key === "materialized"
          ? `no model is materialized as "${value}"`
          : `no model has ${key} "${value}" in its config`,
    };
  }
  switch (method) {
    case "":
      // As dbt: a value that looks like a file is a path, any other an fqn (a name, or a folder such
      // as `marts`); a wildcard matches names too.
      if (value.includes("/") || value.endsWith(".sql"))
        return matcherOf("path", value, raw, all, sourceState);
      return {
        node: (n) => pattern.test(n.name) || fqnMatches(n.fqn, value),
        none: `no model named "${value}"${meant(all.map((n) => n.name))}`,
      };
    case "fqn":
      return { node: (n) => fqnMatches(n.fqn, value), none: `no model's fqn is "${value}"` };
    case "tag":
      return {
        node: (n) => n.tags.some((t) => pattern.test(t)),
        none: `no model or data test has the tag "${value}"${meant(all.flatMap((n) => n.tags))}`,
      };
    case "path": {
      // Relative to the project (models/marts) or to the models folder (marts); a folder or a file.
      const wanted = value.replace(/^\.\//, "").replace(/\/+$/, "");
      return {
        node: (n) => {
          const file = n.file ?? "";
          const inModels = file.slice(file.indexOf("/") + 1);
          return [file, inModels].some(
            (f) => f === wanted || f.startsWith(`${wanted}/`) || glob(wanted).test(f),
          );
        },
        none: `no model file is at "${value}"`,
      };
    }
    case "file":
      return {
        node: (n) => !!n.file && [basename(n.file), basename(n.file, ".sql")].some((f) => pattern.test(f)),
        none: `no model file is named "${value}"`,
      };
    case "package":
      return { node: (n) => pattern.test(n.fqn?.[0] ?? ""), none: `no package is named "${value}"` };
    case "source": {
      // dbt's source_name, source_name.table_name or package.source_name.table_name: a source here has
      // one name, its table's too (source.demo.events.events in manifest.json).
      const project = all.find((n) => n.fqn?.length)?.fqn?.[0];
      const spellings = (name: string) => [
        name,
        `${name}.${name}`,
        ...(project ? [`${project}.${name}.${name}`] : []),
      ];
      return {
        node: () => false,
        sources: (name) => spellings(name).some((spelt) => pattern.test(spelt)),
        none: `no model or test reads a source named "${value}"`,
      };
    }
    case "resource_type":
      if (value === "model" || value === "test")
        return { node: (n) => !!n.test === (value === "test"), none: `the project has no ${value}` };
      if (value === "source")
        return { node: () => false, sources: () => true, none: "no model reads a source" };
      if (absentTypes.includes(value)) return { node: () => false, none: `the project has no ${value}` };
      throw new SelectorError(
        `unknown resource type "${value}" in "${raw}" (a project here has model, test and source)`,
      );
    case "test_type": {
      const type = testTypes[value];
      if (value === "unit") return { node: () => false, none: "the project has no unit tests" };
      if (value === "data") return { node: (n) => !!n.test, none: "the project has no data test" };
      if (!type)
        throw new SelectorError(`unknown test type "${value}" in "${raw}" (use data, generic or singular)`);
      return { node: (n) => n.testType === type, none: `the project has no ${type} data test` };
    }
    case "test_name":
      return {
        node: (n) => !!n.testName && pattern.test(n.testName),
        none: `no data test is a "${value}" test`,
      };
    case "result":
      if (!statuses.some((s) => pattern.test(s)))
        throw new SelectorError(`unknown status "${value}" in "${raw}" (use ${statuses.join(", ")})`);
      return {
        node: (n) => n.result !== undefined && pattern.test(n.result),
        // Before any run (or with a --state folder of another project) no node has a status at all.
        none: all.some((n) => n.result !== undefined)
          ? `nothing has the status "${value}" in the last run's run_results.json (DATA/target's, or --state's)`
          : "there is no last run to read, as DATA/target (or --state's folder) holds no run_results.json that names a node of this project",
      };
    case "state":
      return stateMatcher(value, raw, sourceState);
    default:
      throw new SelectorError(`unknown selector method "${method}" in "${raw}" (use ${methods})`);
  }
}

/** A config value as selectors compare it: each item of a list, any other value as text. */
function configValues(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/**
 * dbt's fqn match: the value's dotted parts are the node's fqn (project, folders, name), or its
 * start, with or without the project name; `*` in a part matches from there on, and a name alone
 * matches the node of that name.
 */
function fqnMatches(fqn: string[] | undefined, value: string): boolean {
  if (!fqn) return false;
  return fqnPrefix(fqn, value) || fqnPrefix(fqn.slice(1), value);
}

function fqnPrefix(fqn: string[], value: string): boolean {
  if (fqn[fqn.length - 1] === value) return true;
  const parts = value.split(".");
  if (parts.length > fqn.length) return false;
  for (const [i, part] of parts.entries()) {
    if (/[*?[\]]/.test(part)) return glob(parts.slice(i).join(".")).test(fqn.slice(i).join("."));
    if (fqn[i] !== part) return false;
  }
  return true;
}
