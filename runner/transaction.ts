// One model's statements run in one transaction, and DuckDB's errors point to the model file's lines.
import type { LineMaps, MacroLine } from "./template-lines.ts";
import type { Warehouse } from "./warehouse.ts";

/**
 * A failure, with the line of the model file it points to when DuckDB named one; on a line a macro
 * wrote, `macroLines` holds the macro's file and line (then those of the macros that include it), and
 * `line` is the model's line that includes it.
 */
export class ModelError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly macroLines?: MacroLine[],
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
  lines: LineMaps,
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
          throw mapError(error, lines, 1);
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

/**
 * Rewrites DuckDB's `LINE n:` (a line of the statement) into the line of the model file, or on a line
 * a macro wrote, into the macro's line and file (`LINE 3 of models/macros/x.sql:`), with the caret
 * under the same character.
 */
export function mapError(error: unknown, lines: LineMaps, prefixLines: number): ModelError {
  const message = error instanceof Error ? error.message : String(error);
  const found = /LINE (\d+):/.exec(message);
  if (!found) return new ModelError(message);
  const outputLine = Number(found[1]) - prefixLines;
  const line = outputLine >= 1 ? lines.lineMap[outputLine - 1] : undefined;
  if (line === undefined) return new ModelError(message);
  const macroLines = lines.macroLines?.[outputLine - 1];
  const [macro] = macroLines ?? [];
  if (!macro) return new ModelError(message.replace(/LINE \d+:/, `LINE ${line}:`), line);
  const label = `LINE ${macro.line} of ${macro.file}:`;
  const shift = label.length - found[0].length;
  const mapped = message.replace(/LINE \d+:([^\n]*)(\n[ \t]*\^)?/, (_m, rest: string, caret?: string) =>
    caret === undefined
      ? `${label}${rest}`
      : `${label}${rest}\n${" ".repeat(Math.max(0, shift))}${caret.slice(1)}`,
  );
  return new ModelError(mapped, line, macroLines);
}
