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

/** The model body as a subquery-safe statement: trailing semicolons and blank tail removed. */
export function stripTrailingSemicolons(sql: string): string {
  return sql.replace(/[\s;]+$/, "");
}
