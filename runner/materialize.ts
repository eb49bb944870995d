// Builds one model in the warehouse, each in its own transaction so that a failure leaves the previous
// version in place: tables build under a temporary name and swap; incremental models merge new rows.
import type { CompiledProject, ModelNode } from "./compile.ts";
import { definitionChange, definitionComment, taggedDefinitionComment } from "./definition.ts";
import {
  checkConfigColumns,
  checkTimeColumn,
  checkUniqueKey,
  columnsOf,
  mergeIncremental,
  RebuildInFull,
} from "./merge.ts";
import { bindModelSources } from "./source.ts";
import { quoteIdent, quoteString } from "./sql.ts";
import { transaction } from "./transaction.ts";
import { noSourceFileComment } from "./unbuilt-parents.ts";
import type { Warehouse } from "./warehouse.ts";

export interface BuildContext {
  data: string;
  project: CompiledProject;
  fullRefresh: boolean;
  /**
   * dbt's --empty: refs and sources read no row, so the model is built with its columns and none of
   * its rows. An incremental table that holds rows merges none and keeps them; an empty one, with no
   * watermark, is built in full by the next run.
   */
  empty?: boolean;
  /**
   * Told each query before it runs (target/run keeps it), so that a failed build shows the SQL that
   * failed, not the last one that worked.
   */
  onSql?: (sql: string) => void;
}

export interface ModelBuild {
  mode: "full" | "incremental";
  sql: string;
  rowsAffected?: number;
  filesRead: number;
  /** For incremental runs: the hour from which source partitions were read. */
  readSince?: string;
  /**
   * Why an incremental model was built in full although its table existed: its columns or its
   * definition (or that of a model it reads) changed.
   */
  rebuilt?: string;
  /** Something about the build the run prints as a warning. */
  warning?: string;
}

type Existing = "table" | "view" | undefined;

// DuckDB's names ignore case: after daily.sql is renamed Daily.sql, the relation "daily" is the
// model's own, to replace, not another that blocks the new name. The comment is a table's record of
// the definition it was built with (definition.ts).
async function existingRelation(
  wh: Warehouse,
  name: string,
): Promise<{ kind: Existing; comment?: string } | undefined> {
  const lower = `lower(${quoteString(name)})`;
  const [row] = await wh.all<{ kind: "table" | "view"; comment: string | null }>(
    `select 'table' as kind, comment from duckdb_tables() where schema_name = 'main' and lower(table_name) = ${lower} and not temporary
     union all
     select 'view', comment from duckdb_views() where schema_name = 'main' and lower(view_name) = ${lower} and not temporary`,
  );
  return row && { kind: row.kind, comment: row.comment ?? undefined };
}

export async function materialize(wh: Warehouse, model: ModelNode, ctx: BuildContext): Promise<ModelBuild> {
  const kind = model.config.materialized;
  if (kind === "ephemeral") {
    // A temporary view: its dependents and tests in this run read it; nothing stays in the warehouse.
    const { sql, files } = fullQuery(model, ctx);
    await transaction(wh, model.full, [
      { prefix: `CREATE OR REPLACE TEMP VIEW ${quoteIdent(model.name)} AS`, body: sql },
    ]);
    return { mode: "full", sql, filesRead: files };
  }
  const relation = await existingRelation(wh, model.name);
  const existing = relation?.kind;
  if (kind === "view") {
    const { sql, files } = fullQuery(model, ctx);
    // Its source read as an empty relation: a run that leaves the view out once files land builds it
    // along (default selector) or warns (unbuilt-parents.ts).
    const noFile = files === 0 && model.sources.length > 0 && !ctx.empty;
    await transaction(wh, model.full, [
      ...(existing === "table" ? [`DROP TABLE ${model.relation}`] : []),
      { prefix: `CREATE OR REPLACE VIEW ${model.relation} AS`, body: sql },
      ...(noFile ? [`COMMENT ON VIEW ${model.relation} IS '${noSourceFileComment}'`] : []),
    ]);
    return { mode: "full", sql, filesRead: files };
  }
  if (kind === "table" || existing !== "table" || ctx.fullRefresh || !model.incremental)
    return buildTable(wh, model, ctx, existing);
  // A model that became incremental, or whose columns changed (a new version of ownstats, an edit),
  // is rebuilt in full rather than failing every run until someone passes --full-refresh.
  const stored = await columnsOf(wh, "main", model.name);
  // DuckDB's names ignore case: watermark="Ingest_TS" names the column ingest_ts.
  const watermark = model.config.watermark?.toLowerCase();
  const watermarkColumn = stored.find((c) => c.name.toLowerCase() === watermark);
  if (!watermarkColumn)
    return rebuild(wh, model, ctx, existing, `the table has no watermark column "${model.config.watermark}"`);
  const definition = definitionComment(model, ctx.project);
  // The older form is checksummed only for a comment that is not the current one, as on most runs.
  const tagged =
    relation?.comment !== definition && relation?.comment === taggedDefinitionComment(model, ctx.project);
  const changed = tagged ? undefined : definitionChange(relation?.comment, definition);
  if (changed) return rebuild(wh, model, ctx, existing, changed);
  try {
    // Undefined for an empty table (no watermark): built as a first run, so a fresh install fills up.
    const merged = await mergeIncremental(wh, model, ctx, stored, watermarkColumn.type);
    if (!merged) return await buildTable(wh, model, ctx, existing);
    // A table whose comment counted its tags and meta records its definition without them from now on.
    if (tagged) await wh.run(`COMMENT ON TABLE ${model.relation} IS ${quoteString(definition)}`);
    return merged;
  } catch (error) {
    if (!(error instanceof RebuildInFull)) throw error;
    return rebuild(wh, model, ctx, existing, error.message);
  }
}

/** The model's full query with its sources read in full. */
function fullQuery(model: ModelNode, ctx: BuildContext): { sql: string; files: number } {
  const query = bindModelSources(
    model.full.sql,
    ctx.data,
    ctx.project.config.sources,
    () => undefined,
    ctx.empty,
  );
  ctx.onSql?.(query.sql);
  return query;
}

async function rebuild(
  wh: Warehouse,
  model: ModelNode,
  ctx: BuildContext,
  existing: Existing,
  reason: string,
): Promise<ModelBuild> {
  return { ...(await buildTable(wh, model, ctx, existing)), rebuilt: reason };
}

async function buildTable(wh: Warehouse, model: ModelNode, ctx: BuildContext, existing: Existing) {
  const { sql, files } = fullQuery(model, ctx);
  const tempName = `${model.name}__ownstats_new`;
  const temp = quoteIdent(tempName);
  const rows = await transaction(
    wh,
    model.full,
    [
      `DROP TABLE IF EXISTS main.${temp}`,
      { prefix: `CREATE TABLE main.${temp} AS`, body: sql },
      ...(model.config.materialized === "incremental"
        ? [
            () => checkConfigColumns(wh, model, "main", tempName),
            // Under append nothing is deleted by key, so a key held twice loses no row.
            ...(model.config.incremental_strategy === "delete+insert"
              ? [() => checkUniqueKey(wh, model, `main.${temp}`, "the model's rows have")]
              : []),
            () => checkTimeColumn(wh, model, `main.${temp}`, "the model's rows have"),
            `COMMENT ON TABLE main.${temp} IS ${quoteString(definitionComment(model, ctx.project))}`,
          ]
        : []),
      ...(existing === "table" ? [`DROP TABLE ${model.relation}`] : []),
      ...(existing === "view" ? [`DROP VIEW ${model.relation}`] : []),
      `ALTER TABLE main.${temp} RENAME TO ${quoteIdent(model.name)}`,
    ],
    `SELECT count(*) AS n FROM main.${temp}`,
    2,
  );
  return { mode: "full" as const, sql, rowsAffected: rows, filesRead: files };
}
