// The generic tests of schema.yml (not_null, unique, accepted_values, relationships): each entry as
// written becomes a query whose rows are failures, or an error naming what is wrong in it.
import type { CompiledProject } from "./compile.ts";
import { quoteIdent, quoteString, sqlLiteral } from "./sql.ts";
import { didYouMean } from "./suggest.ts";
import { renderedArgument } from "./test-arguments.ts";
import { configuredFields, readTestConfig, testConfigKeys } from "./test-config.ts";
import type { TestDefaults } from "./test-defaults.ts";
import { genericTestNames, isMapping } from "./test-names.ts";
import type { DataTest } from "./tests.ts";
import { unknownTestMessage } from "./unknown-test.ts";

const genericKinds = ["not_null", "unique", "accepted_values", "relationships"] as const;
const commonArgs = ["where", ...testConfigKeys, "config", "column_name", "name"];
const configKeys = ["where", ...testConfigKeys];
const kindArgs: Record<string, string[]> = {
  accepted_values: ["values", "quote"],
  relationships: ["to", "field"],
};

type Generic = Omit<DataTest, "file" | "line">;

export function genericTest(
  raw: unknown,
  model: string,
  column: string | undefined,
  project: CompiledProject,
  fail: (message: string) => void,
  /** Leaves out the test, which reads a disabled model. */
  leaveOut: (name: string, parent: string) => void,
  /** project.yml's data_tests: defaults for the model's folder, under the test's own config. */
  defaults: TestDefaults = {},
): Generic | undefined {
  let kind: string;
  let args: Record<string, unknown> = {};
  if (typeof raw === "string") kind = raw;
  else if (isMapping(raw) && "test_name" in raw) {
    // dbt's other form: `- name: orders_status_known` / `test_name: accepted_values` / its arguments beside.
    const { test_name, ...rest } = raw;
    if (typeof test_name !== "string")
      return void fail("test_name must be the name of a test, such as unique");
    kind = test_name;
    args = rest;
  } else if (isMapping(raw) && Object.keys(raw).length === 1) {
    const [key, value] = Object.entries(raw)[0] as [string, unknown];
    kind = key;
    if (value !== null && value !== undefined) {
      if (typeof value !== "object" || Array.isArray(value))
        return void fail(`the arguments of ${key} must be a mapping`);
      args = value as Record<string, unknown>;
    }
  } else return void fail(notOneKey(raw));
  if (!(genericKinds as readonly string[]).includes(kind))
    return void fail(unknownTestMessage(kind, args, model, column, genericKinds));
  // dbt 1.10 writes a test's own arguments under arguments:, apart from its config.
  if (args.arguments !== undefined) {
    const { arguments: nested, ...rest } = args;
    const own = ["column_name", ...(kindArgs[kind] ?? [])];
    if (!nested || typeof nested !== "object" || Array.isArray(nested))
      return void fail(`the arguments: of ${kind} must be a mapping`);
    const other = Object.keys(nested).find((key) => !own.includes(key) || key in rest);
    if (other)
      return void fail(
        other in rest
          ? `${kind} is given "${other}" twice, under arguments: and beside it`
          : `${kind} has no argument "${other}" (under arguments: it takes: ${own.join(", ")})`,
      );
    args = { ...rest, ...nested };
  }
  // A misspelt argument (severty:) or one of dbt's this runner lacks (limit:) would otherwise be
  // ignored without a word, and the test would check something else than what it says.
  const known = [...commonArgs, ...(kindArgs[kind] ?? [])];
  const unknown = Object.keys(args).find((key) => !known.includes(key));
  if (unknown) return void fail(`${kind} has no argument "${unknown}" (it takes: ${known.join(", ")})`);
  const config = (args.config ?? {}) as Record<string, unknown>;
  const unknownConfig = Object.keys(config).find((key) => !configKeys.includes(key));
  if (unknownConfig)
    return void fail(`${kind} has no config "${unknownConfig}" (it takes: ${configKeys.join(", ")})`);
  // As dbt's where config: the test reads only the model's rows that match it.
  const where = args.where ?? config.where;
  if (where !== undefined && (typeof where !== "string" || where.trim() === ""))
    return void fail('where must be a SQL condition, such as where: "event_ts > now() - interval 7 days"');
  const own = readTestConfig((key) => args[key] ?? config[key] ?? defaults[key]);
  if (typeof own === "string") return void fail(own);
  const col = (typeof args.column_name === "string" ? args.column_name : undefined) ?? column;
  const to = typeof args.to === "string" ? args.to.replace(/^ref\(\s*['"](.+)['"]\s*\)$/, "$1") : undefined;
  const field = typeof args.field === "string" ? args.field : undefined;
  // As dbt's name: argument, a name of the user's own, which a selector and store_failures' table use.
  if (args.name !== undefined && (typeof args.name !== "string" || !isName(args.name)))
    return void fail(
      `name must be letters, digits and _ (it names the test's compiled file and stored table), got ${JSON.stringify(args.name)}`,
    );
  // dbt's kwargs: the test's own arguments as written (to: as ref('x') or x), without its config.
  const kwargs = {
    ...(col === undefined ? {} : { column_name: col }),
    ...Object.fromEntries(Object.entries(args).filter(([key]) => !commonArgs.includes(key))),
  };
  const names = typeof args.name === "string" ? { name: args.name } : genericTestNames(kind, model, kwargs);
  const name = names.name;
  // As dbt: a disabled test is not resolved (what it reads need not exist), only listed as disabled.
  if (!own.enabled)
    return {
      kind: kind as Generic["kind"],
      ...names,
      model,
      ...(col ? { column: col } : {}),
      kwargs,
      ...configuredFields(own),
      parents: [model],
      sources: [],
      sql: "",
      disabled: true,
    };
  const sqlOf = (key: string, text: string | undefined) =>
    text === undefined ? { sql: undefined } : renderedArgument(key, text, model, project);
  const whereSql = sqlOf("where", where);
  const colSql = sqlOf("column_name", col);
  if ("error" in whereSql) return void fail(whereSql.error);
  if ("error" in colSql) return void fail(colSql.error);
  if (!col || !colSql.sql)
    return void fail(`${kind} needs a column (put it under columns:, or give column_name)`);
  const rel =
    whereSql.sql === undefined
      ? project.relationOf(model)
      : `(select * from ${project.relationOf(model)} where ${whereSql.sql}) as dbt_subquery`;
  // As in dbt, a column_name may be an expression, e.g. `country || '-' || order_id` for a unique
  // combination; a name is quoted, so that any column works.
  const c = isName(colSql.sql) || col === column ? quoteIdent(colSql.sql) : `(${colSql.sql})`;
  const base = {
    kind: kind as Generic["kind"],
    ...names,
    model,
    column: col,
    kwargs,
    ...configuredFields(own),
    sources: [],
    ...(where === undefined ? {} : { where }),
  };
  switch (kind) {
    case "not_null":
      return {
        ...base,
        parents: [model],
        sql: `select * from ${rel} where ${c} is null`,
      };
    case "unique":
      return {
        ...base,
        parents: [model],
        sql: `select ${c} as unique_field, count(*) as n_records from ${rel} where ${c} is not null group by ${c} having count(*) > 1`,
      };
    case "accepted_values": {
      const values = args.values;
      if (!Array.isArray(values) || values.length === 0)
        return void fail("accepted_values needs values: [...]");
      if (values.some((v) => typeof v === "string" && v.includes("{{")))
        return void fail(
          "accepted_values compares its values as written, without rendering {{…}} in them: list the values themselves",
        );
      if (args.quote !== undefined && typeof args.quote !== "boolean")
        return void fail("quote must be true or false");
      // As dbt: values are compared as strings unless quote: false (then as written: numbers, booleans).
      const literal = (v: unknown) => (args.quote === false ? sqlLiteral(v) : quoteString(String(v)));
      // A NULL in `not in (…)` makes it NULL for every value not listed, so the test would pass them
      // all; NULLs are not tested here anyway (not_null does that).
      const listed = args.quote === false ? values.filter((v) => v !== null && v !== undefined) : values;
      const outside = listed.length ? `${c} not in (${listed.map(literal).join(", ")})` : "true";
      return {
        ...base,
        args: { values, ...(args.quote === undefined ? {} : { quote: args.quote }) },
        parents: [model],
        sql: `select ${c} as value_field, count(*) as n_records from ${rel} where ${c} is not null and ${outside} group by ${c}`,
      };
    }
    default: {
      if (!to || !field) return void fail("relationships needs to: model and field: column");
      if (project.disabled.has(to)) return void leaveOut(name, to);
      // dbt's source('raw', 'events'): the last name is the table, a source's one name here.
      const source = to.startsWith("source(") ? [...to.matchAll(/['"]([^'"]+)['"]/g)].at(-1)?.[1] : undefined;
      // A source is no relation here but a read of raw files: a singular test reads it with {{source}}.
      if (source)
        return void fail(
          `relationships reads a model (to: ref('name')), not a source: write the check as a singular test, models/tests/${model}_${col}_in_${source}.sql: select * from {{ref "${model}"}} as child where child.${col} is not null and not exists (select 1 from {{source "${source}"}} as parent where parent.${field} = child.${col})`,
        );
      if (!project.models.has(to))
        return void fail(
          `relationships points to a model that does not exist: "${to}"${didYouMean(to, project.models.keys())}`,
        );
      return {
        ...base,
        args: { to: `ref('${to}')`, field },
        parents: [...new Set([model, to])],
        sql: `select child.from_field from (select ${c} as from_field from ${rel}) as child left join ${project.relationOf(to)} as parent on child.from_field = parent.${quoteIdent(field)} where child.from_field is not null and parent.${quoteIdent(field)} is null`,
      };
    }
  }
}

/**
 * Why a test entry is not a name or a one-key mapping; most often its arguments are indented as
 * deep as the test's name (`- accepted_values:` then `values:` under the dash), so YAML reads them
 * as keys beside it.
 */
function notOneKey(raw: unknown): string {
  const entries = raw && typeof raw === "object" && !Array.isArray(raw) ? Object.entries(raw) : [];
  const bare = entries.filter(([key, value]) => value === null && genericKinds.some((k) => k === key));
  if (bare.length === 1 && entries.length > 1) {
    const kind = bare[0]?.[0];
    const beside = entries.map(([key]) => key).filter((key) => key !== kind);
    return `${beside.join(", ")} ${beside.length === 1 ? "sits" : "sit"} beside ${kind}: instead of under it: indent ${beside.length === 1 ? "it" : "them"} two more spaces than "${kind}"`;
  }
  return `a test must be a name or a one-key mapping, got ${JSON.stringify(raw)}`;
}

const isName = (column: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(column);
