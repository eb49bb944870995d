// SQL text helpers shared by the compiler and the materializations.

/** Renders a JSON-like value as a DuckDB literal: strings quoted, arrays as lists, objects as structs. */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "string") return quoteString(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`cannot render ${value} as a SQL literal`);
    return String(value);
  }
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (Array.isArray(value)) return `[${value.map(sqlLiteral).join(", ")}]`;
  if (typeof value === "object") {
    const fields = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `${quoteString(k)}: ${sqlLiteral(v)}`,
    );
    return `{${fields.join(", ")}}`;
  }
  throw new Error(`cannot render a ${typeof value} as a SQL literal`);
}

export function quoteString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export const schemaName = "main";

export function relationName(model: string): string {
  return `${schemaName}.${quoteIdent(model)}`;
}

/** An ephemeral model is a temporary view of the run's connection: nothing of it stays in the warehouse. */
export function ephemeralRelationName(model: string): string {
  return `temp.${quoteIdent(model)}`;
}

/**
 * The query as a subquery-safe statement: what follows its last token is removed. A test's query is
 * wrapped in `select count(*) from (…)`, where the `;` of `select … ; -- note`, as dbt users end their
 * files, would be a syntax error.
 */
export function stripTrailingSemicolons(sql: string): string {
  let end = 0;
  for (const token of codeTokens(sql)) if (sql[token.start] !== ";") end = token.end;
  return sql.slice(0, end);
}

/**
 * Where a `;` ends the statement before more code follows (`select 1; select 2`), or undefined. Run as
 * one statement, the text after it would run on its own, and a view would keep only the first query.
 */
export function innerStatementEnd(sql: string): number | undefined {
  let semicolon: number | undefined;
  for (const { start } of codeTokens(sql)) {
    if (sql[start] === ";") semicolon ??= start;
    else if (semicolon !== undefined) return semicolon;
  }
  return undefined;
}

/** The query's code, token by token: each character, or a whole quoted text; no comment or blank. */
function* codeTokens(sql: string): Generator<{ start: number; end: number }> {
  let i = 0;
  while (i < sql.length) {
    const next = skipNonCode(sql, i);
    if (next > i) {
      i = next;
      continue;
    }
    if (/\s/.test(sql[i] as string)) {
      i++;
      continue;
    }
    const start = i;
    i = quotedEnd(sql, i) ?? i + 1;
    yield { start, end: i };
  }
}

/** Where a comment starting at `i` ends (DuckDB's block comments nest); `i` when none starts there. */
function skipNonCode(sql: string, i: number): number {
  if (sql.startsWith("--", i)) {
    const lineEnd = sql.indexOf("\n", i);
    return lineEnd < 0 ? sql.length : lineEnd;
  }
  if (!sql.startsWith("/*", i)) return i;
  let depth = 0;
  let at = i;
  while (at < sql.length) {
    if (sql.startsWith("/*", at)) {
      depth++;
      at += 2;
    } else if (sql.startsWith("*/", at)) {
      at += 2;
      if (--depth === 0) return at;
    } else at++;
  }
  return sql.length;
}

/** Where a quoted string, name or `$tag$` string starting at `i` ends; undefined when none starts there. */
function quotedEnd(sql: string, i: number): number | undefined {
  const ch = sql[i];
  if (ch === "'" || ch === '"') {
    // A doubled quote stands for one; in an E'…' string a backslash escapes the next character.
    const escapes = ch === "'" && /[eE]/.test(sql[i - 1] ?? "") && !/\w/.test(sql[i - 2] ?? "");
    for (let at = i + 1; at < sql.length; at++) {
      if (escapes && sql[at] === "\\") at++;
      else if (sql[at] === ch) {
        if (sql[at + 1] !== ch) return at + 1;
        at++;
      }
    }
    return sql.length;
  }
  // `a$b` is a name, not the start of a `$b$…$b$` string.
  const dollar = ch === "$" && !/\w/.test(sql[i - 1] ?? "");
  const tag = dollar ? /^\$(?:[A-Za-z_]\w*)?\$/.exec(sql.slice(i))?.[0] : undefined;
  if (!tag) return undefined;
  const close = sql.indexOf(tag, i + tag.length);
  return close < 0 ? sql.length : close + tag.length;
}
