// One model's statements run in one transaction, and DuckDB's errors point to the model file's lines.
import type { Warehouse } from "./warehouse.ts";

/** A failure, with the line of the model file it points to when DuckDB named one. */
export class ModelError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

export type Statement = string | { prefix: string; body: string } | (() => Promise<void>);

/**
 * Runs statements in one transaction (DuckDB auto-commits each statement of a multi-statement string,
 * so they run one by one between BEGIN and COMMIT). `countSql`, run after statement `countAfter`
 * (default: the second), gives the rows affected.
 */
export async function transaction(
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
    if (error instanceof ModelError) throw error;
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
