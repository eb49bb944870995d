// The parts of a rendered model that are only known at run time: each `{{source}}` and `{{watermark}}`
// renders as a placeholder between control characters, which the runner fills when it runs the model.
import { quoteIdent } from "./sql.ts";

const sourceMark = "\u0002";
const watermarkMark = "\u0003";

export function sourcePlaceholder(name: string): string {
  return `${sourceMark}${name}${sourceMark}`;
}

/** `{{watermark}}`: the largest stored value of the column, as a subquery until a run binds it. */
export function watermarkPlaceholder(column: string, self: string): string {
  return `${watermarkMark}(select max(${quoteIdent(column)}) from ${self})${watermarkMark}`;
}

/**
 * `{{watermark}}` renders as `(select max(column) from self)` between marks. At run time the runner
 * puts the stored value in its place as a literal: a constant lets DuckDB skip row groups by their
 * min/max, where the subquery would make it scan the whole history. Shown without the marks, the SQL
 * is the same query.
 */
export function bindWatermark(sql: string, literal?: string): string {
  return sql.replace(
    new RegExp(`${watermarkMark}([^${watermarkMark}]*)${watermarkMark}`, "g"),
    (_m, query: string) => literal ?? query,
  );
}

/** Replaces source placeholders with the relation chosen at run time (full glob or pruned files). */
export function bindSources(sql: string, relationOf: (source: string) => string): string {
  return sql.replace(new RegExp(`${sourceMark}([A-Za-z0-9_]+)${sourceMark}`, "g"), (_m, name: string) =>
    relationOf(name),
  );
}

const rangeStartMark = "\u0004";

/**
 * `{{range_start}}`: the start that the model's `{{#range_start}}` query declares, shown as that
 * query (a subquery) until a run binds its value, as `{{watermark}}` is.
 */
export function rangeStartPlaceholder(query: string): string {
  return `${rangeStartMark}(${query})${rangeStartMark}`;
}

/**
 * Puts the run's range start in place of each `{{range_start}}`. The literal is followed by as many
 * line ends as the subquery held, so that a DuckDB error still names the model file's line.
 */
export function bindRangeStart(sql: string, literal?: string): string {
  return sql.replace(
    new RegExp(`${rangeStartMark}([^${rangeStartMark}]*)${rangeStartMark}`, "g"),
    (_m, query: string) =>
      literal === undefined ? query : literal + "\n".repeat(query.split("\n").length - 1),
  );
}

const refMark = "\u0005";

/** A model's `{{ref}}`: the parent's relation between marks, which a run binds (bindRefs). */
export function refPlaceholder(relation: string): string {
  return `${refMark}${relation}${refMark}`;
}

/**
 * Each `{{ref}}` as its relation or, for dbt's --empty, as a subquery of none of its rows (as dbt
 * 1.8 renders it, without an alias), which keeps its columns and types: the model is built, and its
 * SQL checked, without reading a row.
 */
/**
 * The models whose `{{ref}}` qualifies a column (`{{ref "orders"}}.id`): under --empty the ref is a
 * subquery without a name, as in dbt, so the column names nothing there.
 */
export function refsQualifyingColumns(sql: string): string[] {
  const qualified = new RegExp(`${refMark}[^${refMark}.]*\\."?([^${refMark}"]*)"?${refMark}\\s*\\.`, "g");
  return [...new Set([...sql.matchAll(qualified)].map((m) => m[1] ?? ""))];
}

export function bindRefs(sql: string, empty = false): string {
  return sql.replace(new RegExp(`${refMark}([^${refMark}]*)${refMark}`, "g"), (_m, relation: string) =>
    empty ? `(select * from ${relation} where false limit 0)` : relation,
  );
}
