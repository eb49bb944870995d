// The start a time_range model declares with {{#range_start}}: the batch replaces every stored row
// from it on, whether or not the batch has rows in its first period. Without one, the batch's
// earliest time is the start, and a period that lost all its rows would keep its stale ones.
import type { ModelNode } from "./compile.ts";
import { quoteString } from "./sql.ts";
import { ModelError, mapError } from "./transaction.ts";
import type { Warehouse } from "./warehouse.ts";

/**
 * The declared start as a SQL literal of its type (NULL when the query finds none: nothing new), or
 * undefined when the model declares none. `bind` fills in the query's sources and watermark.
 */
export async function declaredRangeStart(
  wh: Warehouse,
  model: ModelNode,
  bind: (sql: string) => string,
): Promise<string | undefined> {
  const declared = model.incremental?.rangeStart;
  if (!declared) return undefined;
  let rows: { value: string | null; type: string }[];
  try {
    rows = await wh.all(
      `select start::VARCHAR as value, typeof(start) as type from (select (\n${bind(declared.sql)}\n) as start)`,
    );
  } catch (error) {
    const mapped = mapError(error, declared, 1);
    throw new ModelError(
      `in its {{#range_start}} query: ${mapped.message}`,
      mapped.line ?? declared.line,
      mapped.macroLines,
    );
  }
  const [row] = rows;
  return row?.value === null || row?.value === undefined
    ? "NULL"
    : `CAST(${quoteString(row.value)} AS ${row.type})`;
}
