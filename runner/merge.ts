// The incremental merge: the batch of new rows, checked, then merged into the stored table by the
// model's strategy (delete+insert by key, append, or a time range), all in one transaction.
import type { ModelNode } from "./compile.ts";
import type { BuildContext, ModelBuild } from "./materialize.ts";
import { declaredRangeStart } from "./range-start.ts";
import { bindModelSources } from "./source.ts";
import { quoteIdent, quoteString } from "./sql.ts";
import { bindRangeStart, bindWatermark } from "./template-marks.ts";
import { ModelError, type Statement, transaction } from "./transaction.ts";
import type { Warehouse } from "./warehouse.ts";

/**
 * The stored table cannot take an incremental batch (the model changed shape, or no row has a
 * watermark), so it is rebuilt in full, saying why.
 */
export class RebuildInFull extends ModelError {}

export interface Column {
  name: string;
  type: string;
}

/** The columns of a table of the warehouse (`main`) or of this connection's temporary ones, in order. */
export async function columnsOf(wh: Warehouse, where: "main" | "temp", table: string): Promise<Column[]> {
  return wh.all<{ name: string; type: string }>(
    `select name, type from pragma_table_info(${quoteString(`${where}.${quoteIdent(table)}`)})`,
  );
}

/**
 * The columns an incremental model's config names (unique_key, watermark, time_column) that its query
 * does not return. Checked on every build, so that a misspelt name is said on the first run, and not
 * as DuckDB's error about a query of the merge on the next.
 */
export async function checkConfigColumns(
  wh: Warehouse,
  model: ModelNode,
  where: "main" | "temp",
  table: string,
) {
  const { unique_key: uniqueKey, watermark, time_column: timeColumn } = model.config;
  const columns = (await columnsOf(wh, where, table)).map((c) => c.name);
  // DuckDB's names ignore case: unique_key="Event_ID" names the column event_id.
  const has = (name: string) => columns.some((c) => c.toLowerCase() === name.toLowerCase());
  const named: [string, string | undefined][] = [
    ...uniqueKey.map((k): [string, string] => ["unique_key", k]),
    ["watermark", watermark],
    ["time_column", timeColumn],
  ];
  const missing = named.filter(([, name]) => name !== undefined && !has(name));
  if (missing.length)
    throw new ModelError(
      `${missing.map(([key, name]) => `${key} "${name}"`).join(", ")} ${missing.length === 1 ? "is not a column" : "are not columns"} of the model (its columns: ${columns.join(", ")})`,
      model.full.config?.line,
    );
}

/**
 * Refuses rows of `relation` that repeat a value of the model's unique_key, `saying` whose rows they are.
 * In a batch they would be inserted twice; in a full build, the next merge's delete by key would
 * replace all of them with the batch's one row.
 */
export async function checkUniqueKey(wh: Warehouse, model: ModelNode, relation: string, saying: string) {
  const uniqueKey = model.config.unique_key;
  if (uniqueKey.length === 0) return;
  const keyList = uniqueKey.map(quoteIdent).join(", ");
  const [dup] = await wh.all<{ n: number }>(
    `select count(*) as n from (select ${keyList} from ${relation} group by all having count(*) > 1)`,
  );
  const n = dup?.n ?? 0;
  if (n > 0)
    throw new ModelError(
      `${saying} ${n} ${uniqueKey.join(", ")} value(s) on more than one row; ` +
        `deduplicate in the model (e.g. qualify row_number() over (partition by ${uniqueKey.join(", ")} order by …) = 1)`,
      model.full.config?.line,
    );
}

/**
 * Refuses rows of `relation` without a time_column under the time_range strategy, `saying` whose rows
 * they are: a batch replaces the stored rows by their time, so such a row would never be replaced.
 */
export async function checkTimeColumn(wh: Warehouse, model: ModelNode, relation: string, saying: string) {
  const { incremental_strategy: strategy, time_column: timeColumn } = model.config;
  if (strategy !== "time_range" || !timeColumn) return;
  const [row] = await wh.all<{ n: number }>(
    `select count(*) as n from ${relation} where ${quoteIdent(timeColumn)} is null`,
  );
  const n = Number(row?.n ?? 0);
  if (n > 0)
    throw new ModelError(
      `${saying} ${n} row(s) without a ${timeColumn}; a time_range batch replaces rows by ${timeColumn}, so every row needs one`,
      model.full.config?.line,
    );
}

export async function mergeIncremental(
  wh: Warehouse,
  model: ModelNode,
  ctx: BuildContext,
  stored: Column[],
  watermarkType: string,
): Promise<ModelBuild | undefined> {
  if (!model.incremental) throw new Error(`${model.name} has no incremental query`);
  const watermark = await watermarkOf(wh, model, watermarkType);
  // An empty table has no watermark: the caller builds it as a first run.
  if (!watermark) return undefined;
  let readSince: Date | undefined;
  // Raw files land in the hour they arrive. A watermark past the current hour (an event time from a
  // client whose clock runs ahead) would skip every file that arrives until then: the files are read
  // from the current hour instead, and the run says why.
  const currentHour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  const ahead = watermark.hour && watermark.hour > currentHour ? watermark.hour : undefined;
  const readFrom = ahead ? currentHour : watermark.hour;
  const bindRun = (query: string) =>
    bindModelSources(
      bindWatermark(query, watermark.literal),
      ctx.data,
      ctx.project.config.sources,
      (lookbackHours) => {
        if (!readFrom) return undefined;
        readSince = new Date(readFrom.getTime() - lookbackHours * 3_600_000);
        return readSince;
      },
      ctx.empty,
    );
  const rangeStart = await declaredRangeStart(wh, model, (query) => bindRun(query).sql);
  const { sql, files } = bindRun(bindRangeStart(model.incremental.sql, rangeStart));
  ctx.onSql?.(sql);
  const batchName = `${model.name}__ownstats_batch`;
  const batch = quoteIdent(batchName);
  const countIn = async (where: string) =>
    Number((await wh.all<{ n: number }>(`select count(*) as n from temp.${batch} ${where}`))[0]?.n ?? 0);
  const rows = await transaction(
    wh,
    model.incremental,
    [
      `DROP TABLE IF EXISTS temp.${batch}`,
      { prefix: `CREATE TEMP TABLE ${batch} AS`, body: sql },
      async () => {
        const batchColumns = await columnsOf(wh, "temp", batchName);
        const columns = batchColumns.map((c) => c.name);
        const storedNames = stored.map((c) => c.name);
        const added = columns.filter((c) => !storedNames.includes(c)).map((c) => `+${c}`);
        const gone = storedNames.filter((c) => !columns.includes(c)).map((c) => `-${c}`);
        if (added.length || gone.length)
          throw new RebuildInFull(`its columns changed (${[...added, ...gone].join(", ")})`);
        // A batch value cast into a column's old type would be changed silently (a TIMESTAMP into a
        // DATE loses its time, and a time_range delete then misses the row it should replace).
        const retyped = batchColumns.flatMap((c) => {
          const old = stored.find((s) => s.name === c.name)?.type;
          return old && old !== c.type ? [`${c.name} ${old} → ${c.type}`] : [];
        });
        if (retyped.length) throw new RebuildInFull(`its column types changed (${retyped.join(", ")})`);
      },
      () => checkConfigColumns(wh, model, "temp", batchName),
      // Two batch rows for one key would silently duplicate it in the table.
      () => checkUniqueKey(wh, model, `temp.${batch}`, "the incremental batch has"),
      // A row without a time would never be replaced: every later batch would add it again.
      () => checkTimeColumn(wh, model, `temp.${batch}`, "the incremental batch has"),
      ...replaceStatements(wh, model, batch, countIn, rangeStart),
      `INSERT INTO ${model.relation} BY NAME SELECT * FROM temp.${batch}`,
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
    ...(ahead && {
      warning: `its watermark "${model.config.watermark}" is at ${ahead.toISOString()}, after the current hour (an event time from a client whose clock runs ahead?): the raw files are read from the current hour on, but a query that filters on {{watermark}} leaves out the rows before it; a load time such as ingest_ts makes a better watermark`,
    }),
  };
}

/** What an incremental batch replaces before it is inserted, by the model's strategy. */
function replaceStatements(
  wh: Warehouse,
  model: ModelNode,
  batch: string,
  countIn: (where: string) => Promise<number>,
  rangeStart: string | undefined,
): Statement[] {
  const { incremental_strategy: strategy, time_column: timeColumn } = model.config;
  if (strategy === "append") return [];
  if (strategy === "time_range") {
    const column = quoteIdent(timeColumn as string);
    // An empty batch has no earliest time (NULL): nothing is replaced.
    if (rangeStart === undefined)
      return [`DELETE FROM ${model.relation} WHERE ${column} >= (SELECT min(${column}) FROM temp.${batch})`];
    return [
      // A row before the declared start would be added beside the stored one it should replace.
      async () => {
        const n = await countIn(`where (${column} >= ${rangeStart}) is not true`);
        if (n > 0)
          throw new ModelError(
            `the incremental batch has ${n} row(s) with ${timeColumn} before its {{#range_start}} (${rangeStart}); the batch replaces the stored rows from that start on, so it must hold none before it`,
          );
      },
      `DELETE FROM ${model.relation} WHERE ${column} >= ${rangeStart}`,
    ];
  }
  const keys = model.config.unique_key.map(quoteIdent);
  return [
    async () => {
      // An equality join lets DuckDB skip the table's row groups whose key range misses the batch's
      // keys (time-ordered ids keep a recent batch to the last few); it never matches NULL, so a
      // batch with a NULL key matches with "is not distinct from", which reads every row group.
      const nulls = await countIn(`where ${keys.map((k) => `${k} is null`).join(" or ")}`);
      const equal = nulls === 0 ? "=" : "is not distinct from";
      const match = keys.map((k) => `target.${k} ${equal} batch.${k}`).join(" and ");
      await wh.run(`DELETE FROM ${model.relation} AS target USING temp.${batch} AS batch WHERE ${match}`);
    },
  ];
}

/**
 * The largest watermark value in the existing table, as a SQL literal of the column's type (for
 * `{{watermark}}`) and, for a time, as the hour (UTC) it falls in (for source pruning); undefined when
 * it is empty. A number (an epoch) has no hour: its model reads its sources in full.
 */
async function watermarkOf(
  wh: Warehouse,
  model: ModelNode,
  type: string,
): Promise<{ literal: string; hour?: Date } | undefined> {
  const column = quoteIdent(model.config.watermark as string);
  // A time column: the max first, one cast after (a per-row cast costs a scan of the whole history).
  // Text: each value through TIMESTAMPTZ, so an ISO string's offset counts, and the value is the one
  // of the latest instant (the largest string is not: '03:20+02:00' sorts after '01:30Z'). Then epoch
  // microseconds, which no zone setting touches. A number (epoch seconds or milliseconds: the runner
  // cannot tell which) gives no hour.
  const [value, us] = /CHAR|TEXT|STRING/i.test(type)
    ? [`arg_max(${column}, ${column}::TIMESTAMPTZ)`, `epoch_us(max(${column}::TIMESTAMPTZ))`]
    : /^(TIMESTAMP|DATE)/i.test(type)
      ? [`max(${column})`, `epoch_us(max(${column})::TIMESTAMPTZ)`]
      : [`max(${column})`, "NULL"];
  let rows: { us: string | number | null; value: string | null; type: string; n: number }[];
  try {
    rows = await wh.all(
      `select ${us} as us, ${value}::VARCHAR as value, typeof(${value}) as type, count(*) as n from ${model.relation}`,
    );
  } catch (error) {
    throw new ModelError(
      `cannot read the watermark column "${model.config.watermark}" of ${model.relation}: ${(error as Error).message}`,
    );
  }
  const [row] = rows;
  if (row?.value === null || row?.value === undefined) {
    // Without this a table whose query leaves the column NULL would be rebuilt in full on every run, unsaid.
    if (Number(row?.n ?? 0) > 0)
      throw new RebuildInFull(
        `every row's watermark "${model.config.watermark}" is NULL, so no row tells which data is new`,
      );
    return undefined;
  }
  // The text form of a value cast back to its type is the same value (to the microsecond).
  const literal = `CAST(${quoteString(row.value)} AS ${row.type})`;
  if (row.us === null) return { literal };
  const ms = Number(BigInt(row.us) / 1000n);
  return { literal, hour: new Date(ms - (((ms % 3_600_000) + 3_600_000) % 3_600_000)) };
}
