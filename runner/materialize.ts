// Builds one model in the warehouse, each in its own transaction so that a failure leaves the previous
// version in place: tables build under a temporary name and swap; incremental models merge new rows.
import type { CompiledProject, ModelNode } from "./compile.ts";
import { fullSource, type SourceRead, sourceSince } from "./source.ts";
import { quoteIdent, quoteString, stripTrailingSemicolons } from "./sql.ts";
import { bindSources, bindWatermark } from "./template.ts";
import type { Warehouse } from "./warehouse.ts";

export interface BuildContext {
  data: string;
  project: CompiledProject;
  fullRefresh: boolean;
}

export interface ModelBuild {
  mode: "full" | "incremental";
  sql: string;
  rowsAffected?: number;
  filesRead: number;
  /** For incremental runs: the hour from which source partitions were read. */
  readSince?: string;
  /** Why an incremental model was built in full although its table existed (its columns changed). */
  rebuilt?: string;
}

/** The incremental batch's columns are not the table's: the model changed shape, so it is rebuilt. */
class ColumnsChanged extends Error {}

/** A failure, with the line of the model file it points to when DuckDB named one. */
export class ModelError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

type Existing = "table" | "view" | undefined;

export async function existingRelation(wh: Warehouse, name: string): Promise<Existing> {
  const rows = await wh.all(
    `select 'table' as kind from duckdb_tables() where schema_name = 'main' and table_name = ${quoteString(name)} and not temporary
     union all
     select 'view' from duckdb_views() where schema_name = 'main' and view_name = ${quoteString(name)} and not temporary`,
  );
  return rows[0]?.kind as Existing;
}

export async function materialize(wh: Warehouse, model: ModelNode, ctx: BuildContext): Promise<ModelBuild> {
  const kind = model.config.materialized;
  if (kind === "ephemeral") {
    // A temporary view: its dependents and tests in this run read it; nothing stays in the warehouse.
    const { sql, files } = bind(model.full.sql, ctx, () => undefined);
    await transaction(wh, model.full.lineMap, [
      { prefix: `CREATE OR REPLACE TEMP VIEW ${quoteIdent(model.name)} AS`, body: sql },
    ]);
    return { mode: "full", sql, filesRead: files };
  }
  const existing = await existingRelation(wh, model.name);
  if (kind === "view") {
    const { sql, files } = bind(model.full.sql, ctx, () => undefined);
    await transaction(wh, model.full.lineMap, [
      ...(existing === "table" ? [`DROP TABLE ${model.relation}`] : []),
      { prefix: `CREATE OR REPLACE VIEW ${model.relation} AS`, body: sql },
    ]);
    return { mode: "full", sql, filesRead: files };
  }
  if (kind === "table" || existing !== "table" || ctx.fullRefresh || !model.incremental)
    return buildTable(wh, model, ctx, existing);
  // A model that became incremental, or whose columns changed (a new version of ownstats, an edit),
  // is rebuilt in full rather than failing every run until someone passes --full-refresh.
  const stored = await columnsOf(wh, "main", model.name);
  const watermarkColumn = stored.find((c) => c.name === model.config.watermark);
  if (!watermarkColumn)
    return rebuild(wh, model, ctx, existing, `the table has no watermark column "${model.config.watermark}"`);
  try {
    return await mergeIncremental(wh, model, ctx, stored, watermarkColumn.type);
  } catch (error) {
    if (!(error instanceof ColumnsChanged)) throw error;
    return rebuild(wh, model, ctx, existing, error.message);
  }
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

interface Column {
  name: string;
  type: string;
}

/** The columns of a table of the warehouse (`main`) or of this connection's temporary ones, in order. */
async function columnsOf(wh: Warehouse, where: "main" | "temp", table: string): Promise<Column[]> {
  return wh.all<{ name: string; type: string }>(
    `select name, type from pragma_table_info(${quoteString(`${where}.${quoteIdent(table)}`)})`,
  );
}

async function mergeIncremental(
  wh: Warehouse,
  model: ModelNode,
  ctx: BuildContext,
  stored: Column[],
  watermarkType: string,
): Promise<ModelBuild> {
  if (!model.incremental) throw new Error(`${model.name} has no incremental query`);
  const watermark = await watermarkOf(wh, model, watermarkType);
  // An empty table has no watermark: build it as a first run, so a fresh install fills up once data lands.
  if (!watermark) return buildTable(wh, model, ctx, "table");
  let readSince: Date | undefined;
  const { sql, files } = bind(
    bindWatermark(model.incremental.sql, watermark.literal),
    ctx,
    (lookbackHours) => {
      readSince = new Date(watermark.hour.getTime() - lookbackHours * 3_600_000);
      return readSince;
    },
  );
  const batch = `${quoteIdent(`${model.name}__ownstats_batch`)}`;
  const keys = model.config.unique_key.map(quoteIdent);
  const keyList = keys.join(", ");
  const rows = await transaction(
    wh,
    model.incremental.lineMap,
    [
      `DROP TABLE IF EXISTS temp.${batch}`,
      { prefix: `CREATE TEMP TABLE ${batch} AS`, body: sql },
      async () => {
        const names = (columns: Column[]) => columns.map((c) => c.name);
        const columns = names(await columnsOf(wh, "temp", `${model.name}__ownstats_batch`));
        const added = columns.filter((c) => !names(stored).includes(c));
        const gone = names(stored).filter((c) => !columns.includes(c));
        if (added.length || gone.length)
          throw new ColumnsChanged(
            `its columns changed (${[...added.map((c) => `+${c}`), ...gone.map((c) => `-${c}`)].join(", ")})`,
          );
      },
      // Two batch rows for one key would silently duplicate it in the table.
      async () => {
        if (keys.length === 0) return;
        const dup = await wh.all<{ n: number }>(
          `select count(*) as n from (select ${keyList} from temp.${batch} group by all having count(*) > 1)`,
        );
        const n = dup[0]?.n ?? 0;
        if (n > 0)
          throw new ModelError(
            `the incremental batch has ${n} ${model.config.unique_key.join(", ")} value(s) on more than one row; ` +
              `deduplicate in the model (e.g. qualify row_number() over (partition by ${model.config.unique_key.join(", ")} order by …) = 1)`,
          );
      },
      // A row without a time would never be replaced: every later batch would add it again.
      async () => {
        const column = model.config.time_column;
        if (model.config.incremental_strategy !== "time_range" || !column) return;
        const missing = await wh.all<{ n: number }>(
          `select count(*) as n from temp.${batch} where ${quoteIdent(column)} is null`,
        );
        const n = missing[0]?.n ?? 0;
        if (n > 0)
          throw new ModelError(
            `the incremental batch has ${n} row(s) without a ${column}; a time_range batch replaces rows by ${column}, so every row needs one`,
          );
      },
      ...replaceStatements(wh, model, batch),
      async () => {
        try {
          await wh.run(`INSERT INTO ${model.relation} BY NAME SELECT * FROM temp.${batch}`);
        } catch (error) {
          throw new ModelError(
            `${(error as Error).message}\n(the model's column types no longer match the table: run with --full-refresh to rebuild it)`,
          );
        }
      },
      `DROP TABLE temp.${batch}`,
    ],
    `SELECT count(*) AS n FROM temp.${batch}`,
  );
  return {
    mode: "incremental",
    sql,
    rowsAffected: rows,
    filesRead: files,
    readSince: readSince?.toISOString(),
  };
}

/** What an incremental batch replaces before it is inserted, by the model's strategy. */
function replaceStatements(wh: Warehouse, model: ModelNode, batch: string): Statement[] {
  const { incremental_strategy: strategy, time_column: timeColumn } = model.config;
  if (strategy === "append") return [];
  if (strategy === "time_range") {
    const column = quoteIdent(timeColumn as string);
    // An empty batch has no earliest time (NULL): nothing is replaced.
    return [`DELETE FROM ${model.relation} WHERE ${column} >= (SELECT min(${column}) FROM temp.${batch})`];
  }
  const keys = model.config.unique_key.map(quoteIdent);
  return [
    async () => {
      // An equality join lets DuckDB skip the table's row groups whose key range misses the batch's
      // keys (time-ordered ids keep a recent batch to the last few); it never matches NULL, so a
      // batch with a NULL key matches with "is not distinct from", which reads every row group.
      const [nulls] = await wh.all<{ n: number }>(
        `select count(*) as n from temp.${batch} where ${keys.map((k) => `${k} is null`).join(" or ")}`,
      );
      const equal = nulls?.n === 0 ? "=" : "is not distinct from";
      const match = keys.map((k) => `target.${k} ${equal} batch.${k}`).join(" and ");
      await wh.run(`DELETE FROM ${model.relation} AS target USING temp.${batch} AS batch WHERE ${match}`);
    },
  ];
}

async function buildTable(wh: Warehouse, model: ModelNode, ctx: BuildContext, existing: Existing) {
  const { sql, files } = bind(model.full.sql, ctx, () => undefined);
  const temp = quoteIdent(`${model.name}__ownstats_new`);
  const rows = await transaction(
    wh,
    model.full.lineMap,
    [
      `DROP TABLE IF EXISTS main.${temp}`,
      { prefix: `CREATE TABLE main.${temp} AS`, body: sql },
      ...(existing === "table" ? [`DROP TABLE ${model.relation}`] : []),
      ...(existing === "view" ? [`DROP VIEW ${model.relation}`] : []),
      `ALTER TABLE main.${temp} RENAME TO ${quoteIdent(model.name)}`,
    ],
    `SELECT count(*) AS n FROM main.${temp}`,
    2,
  );
  return { mode: "full" as const, sql, rowsAffected: rows, filesRead: files };
}

/**
 * The largest watermark value in the existing table, as a SQL literal of the column's type (for
 * `{{watermark}}`) and as the hour (UTC) it falls in (for source pruning); undefined when it is empty.
 */
async function watermarkOf(
  wh: Warehouse,
  model: ModelNode,
  type: string,
): Promise<{ literal: string; hour: Date } | undefined> {
  const column = quoteIdent(model.config.watermark as string);
  let rows: { us: string | number | null; value: string | null; type: string }[];
  try {
    // A time column: the max first, one cast after (a per-row cast costs a scan of the whole history).
    // Text: each value through TIMESTAMPTZ, so an ISO string's offset counts. Then epoch microseconds,
    // which no zone setting touches.
    const max = /CHAR|TEXT|STRING/i.test(type)
      ? `max(${column}::TIMESTAMPTZ)`
      : `max(${column})::TIMESTAMPTZ`;
    rows = await wh.all(
      `select epoch_us(${max}) as us, max(${column})::VARCHAR as value, typeof(max(${column})) as type from ${model.relation}`,
    );
  } catch (error) {
    throw new ModelError(
      `cannot read the watermark column "${model.config.watermark}" of ${model.relation}: ${(error as Error).message}`,
    );
  }
  const [row] = rows;
  if (row?.us === null || row?.us === undefined || row.value === null) return undefined;
  const ms = Number(BigInt(row.us) / 1000n);
  return {
    // The text form of a value cast back to its type is the same value (to the microsecond).
    literal: `CAST(${quoteString(row.value)} AS ${row.type})`,
    hour: new Date(ms - (((ms % 3_600_000) + 3_600_000) % 3_600_000)),
  };
}

/** Fills the source placeholders; `since` gives the first partition hour to read (all when undefined). */
function bind(
  sql: string,
  ctx: BuildContext,
  since: (lookbackHours: number) => Date | undefined,
): { sql: string; files: number } {
  let files = 0;
  const bound = bindSources(sql, (name) => {
    const source = ctx.project.config.sources[name];
    if (!source) throw new ModelError(`unknown source "${name}"`);
    const from = since(source.lookback_hours);
    const read: SourceRead = from ? sourceSince(ctx.data, source, from) : fullSource(ctx.data, source);
    files += read.files;
    return read.sql;
  });
  return { sql: stripTrailingSemicolons(bound), files };
}

type Statement = string | { prefix: string; body: string } | (() => Promise<void>);

/**
 * Runs statements in one transaction (DuckDB auto-commits each statement of a multi-statement string,
 * so they run one by one between BEGIN and COMMIT). `countSql`, run after statement `countAfter`
 * (default: the second), gives the rows affected.
 */
async function transaction(
  wh: Warehouse,
  lineMap: number[],
  statements: Statement[],
  countSql?: string,
  countAfter = 2,
): Promise<number | undefined> {
  let rows: number | undefined;
  await wh.run("BEGIN TRANSACTION");
  try {
    for (const [i, statement] of statements.entries()) {
      if (typeof statement === "string") await wh.run(statement);
      else if (typeof statement === "function") await statement();
      else {
        try {
          await wh.run(`${statement.prefix}\n${statement.body}`);
        } catch (error) {
          throw mapError(error, lineMap, 1);
        }
      }
      if (countSql && i + 1 === countAfter) rows = Number((await wh.all(countSql))[0]?.n ?? 0);
    }
    await wh.run("COMMIT");
  } catch (error) {
    await wh.run("ROLLBACK").catch(() => undefined);
    if (error instanceof ModelError || error instanceof ColumnsChanged) throw error;
    throw new ModelError((error as Error).message);
  }
  return rows;
}

/** Rewrites DuckDB's `LINE n:` (a line of the statement) into the line of the model file. */
export function mapError(error: unknown, lineMap: number[], prefixLines: number): ModelError {
  const message = error instanceof Error ? error.message : String(error);
  const found = /LINE (\d+):/.exec(message);
  if (!found) return new ModelError(message);
  const outputLine = Number(found[1]) - prefixLines;
  const line = outputLine >= 1 ? lineMap[outputLine - 1] : undefined;
  if (line === undefined) return new ModelError(message);
  return new ModelError(message.replace(/LINE \d+:/, `LINE ${line}:`), line);
}
