// Running a data test: counting its failing rows (at most its limit) and, with dbt's store_failures,
// keeping them in a table or view of their own that an analyst can query after the run.
import { join } from "node:path";
import type { CompiledProject } from "./compile.ts";
import { compiledTestPath } from "./compiled-files.ts";
import { emptyRelation, fullSourceSql } from "./source.ts";
import { quoteIdent, quoteString, schemaName, stripTrailingSemicolons } from "./sql.ts";
import { bindSources } from "./template-marks.ts";
import { testAlias } from "./test-names.ts";
import type { DataTest } from "./tests.ts";
import { ModelError, mapError } from "./transaction.ts";
import type { Warehouse } from "./warehouse.ts";

/** dbt's schema for stored failures: the target schema's name and `_dbt_test__audit`. */
export const failuresSchema = `${schemaName}_dbt_test__audit`;

/** Where a test with store_failures keeps its failing rows, named after the test (its alias) as in dbt. */
export function failuresRelation(
  test: Pick<DataTest, "name" | "alias" | "storeFailuresAs">,
): string | undefined {
  return test.storeFailuresAs ? `${quoteIdent(failuresSchema)}.${quoteIdent(testAlias(test))}` : undefined;
}

/**
 * Replaces the test's stored failures, as dbt does on every run (with none, an empty table). The
 * test's own query still starts on the statement's second line, where its line map expects it.
 */
async function storeFailures(wh: Warehouse, test: DataTest, relation: string, failing: string) {
  await wh.run(`create schema if not exists ${quoteIdent(failuresSchema)}`);
  // A view cannot replace a table (nor a table a view) when the test's store_failures_as changed.
  const held = await wh.all<{ kind: string }>(
    `select 'table' as kind from duckdb_tables() where schema_name = ${quoteString(failuresSchema)} and table_name = ${quoteString(testAlias(test))}
     union all
     select 'view' from duckdb_views() where schema_name = ${quoteString(failuresSchema)} and view_name = ${quoteString(testAlias(test))}`,
  );
  for (const { kind } of held) if (kind !== test.storeFailuresAs) await wh.run(`drop ${kind} ${relation}`);
  await wh.run(`create or replace ${test.storeFailuresAs} ${relation} as ${failing}`);
}

export async function countFailures(
  wh: Warehouse,
  test: DataTest,
  data: string,
  project: CompiledProject,
  /** dbt's --empty: a source and a ref read no row, as in the models that were built from them. */
  empty = false,
): Promise<number> {
  const body = stripTrailingSemicolons(
    bindSources(empty ? withEmptyRefs(test, project) : test.sql, (name) => {
      const source = project.config.sources[name];
      if (!source) throw new ModelError(`unknown source "${name}"`);
      return empty ? emptyRelation(source) : fullSourceSql(data, source);
    }),
  );
  try {
    const stored = failuresRelation(test);
    if (!stored) {
      const rows = await wh.all(`select count(*) as failures from ${failingRows(test, body)}`);
      return Number(rows[0]?.failures ?? 0);
    }
    await storeFailures(wh, test, stored, `select * from ${failingRows(test, body)}`);
    const rows = await wh.all(`select count(*) as failures from ${stored}`);
    return Number(rows[0]?.failures ?? 0);
  } catch (error) {
    const unbuilt = unbuiltParent((error as Error).message, test);
    if (unbuilt)
      throw new ModelError(
        `the model "${unbuilt}" is not in the warehouse yet: build it first (ownstats run --select ${unbuilt}, or ownstats build)`,
      );
    if (test.lineMap) throw mapError(error, { lineMap: test.lineMap, macroLines: test.macroLines }, 1);
    throw new ModelError(genericTestError((error as Error).message, test));
  }
}

/**
 * The test's query with each model it reads as none of its rows, as dbt renders a test's refs under
 * --empty. Reading the tables instead would test a mix: an incremental table keeps its rows through
 * --empty while a table built from it is left empty, so a test comparing the two would fail.
 */
function withEmptyRefs(test: DataTest, project: CompiledProject): string {
  let sql = test.sql;
  for (const parent of test.parents) {
    const relation = project.relationOf(parent);
    sql = sql.split(relation).join(`(select * from ${relation} where false limit 0)`);
  }
  return sql;
}

/** The model a test reads that DuckDB says is not there: `test` before any `run` of it. */
function unbuiltParent(message: string, test: DataTest): string | undefined {
  const missing = /Table with name (\S+) does not exist/.exec(message)?.[1]?.toLowerCase();
  return test.parents.find((parent) => parent.toLowerCase() === missing);
}

/**
 * The test's failing rows as a subquery, at most its limit of them (as dbt: the count is capped too).
 * The test's own query starts on the second line, where its line map expects it.
 */
function failingRows(test: DataTest, body: string): string {
  const rows = `(\n${body}\n) as failing_rows`;
  return test.limit === undefined ? rows : `(select * from ${rows} limit ${test.limit}) as capped_rows`;
}

/**
 * DuckDB's `LINE n:` and caret point into the query the runner wrote for a schema.yml test, which is
 * no line the analyst wrote: the message names the test, its model and column and its compiled query.
 */
function genericTestError(message: string, test: DataTest): string {
  const reason = message.replace(/\n*LINE \d+:[^\n]*(\n[ \t]*\^[ \t]*)?$/, "").trimEnd();
  const where = test.line ? `${test.file}:${test.line}` : test.file;
  return `${reason}\nin the ${test.kind} test of model "${test.model}" column "${test.column}" (${where}); its query is ${join("target", "compiled", compiledTestPath(test))}`;
}
